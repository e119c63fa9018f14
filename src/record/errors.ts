/** Why the CRC record could not be opened or used; each kind says what to do about it. */
export type RecordErrorKind = 'locked' | 'newer-version' | 'unreadable';

export class RecordError extends Error {
  constructor(
    readonly kind: RecordErrorKind,
    message: string,
    /** What to do about it, in a sentence. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}
