/** An error answered to the client in the dialect's XML format. */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Headers the error answer carries besides the usual ones (e.g. `x-oss-next-append-position`). */
    readonly headers: Record<string, string> = {},
    /** OSS: the error's EC (`x-oss-ec` and `<EC>`), when this emulator knows the documented one. */
    readonly ec?: string,
  ) {
    super(message);
    this.name = 'EmulatorError';
  }
}

/** Thrown to cut the connection without an answer (a `reset` fault, or a client that went away). */
export class ResetSignal extends Error {}
