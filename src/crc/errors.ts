/** The file changed size while it was being hashed, so no value for it can be trusted. */
export class FileChangedError extends Error {
  readonly code = 'EFILECHANGED';
  constructor(message: string) {
    super(message);
    this.name = 'FileChangedError';
  }
}
