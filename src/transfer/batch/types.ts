import type { TransferProgress } from '../upload';

/** One file of a batch: its result, or why it failed. */
export type FileOutcome<T> = { ok: true; result: T } | { ok: false; key: string; path?: string; error: Error };

/** A file's outcome and the index of the batch item (file, folder, object or prefix) it came from. */
export type BatchOutcome<T> = FileOutcome<T> & { item: number };

/** Progress of a whole batch: bytes and files summed over every file in it. */
export interface BatchProgress extends TransferProgress {
  filesDone: number;
  filesTotal: number;
}

/** What every batch returns, for uploads and downloads alike; the editor and the CLI only present it. */
export interface BatchReport<T> {
  /** One per file that finished, in the planned order (walk or listing order; `onFile` sees them as they finish). */
  outcomes: BatchOutcome<T>[];
  /**
   * Entries left out on purpose, in words: a link to a folder, a folder marker with a body. They are
   * not files of the batch, so they count neither as failed nor as skipped.
   */
  notes: string[];
  /** Cancelled before every file was done: `outcomes` holds the files that finished. */
  cancelled: boolean;
  /** Stopped at an error that would fail every file (`RunBatchOptions.stopOn`): `outcomes` holds the files done before it. */
  stoppedBy?: Error;
  filesTotal: number;
  /** Bytes of every planned file whose size is known: walked, listed, or learned once its transfer began. */
  bytesTotal: number;
  verified: number;
  unverified: number;
  failed: number;
  skipped: number;
  /** Bytes of the files transferred (verified or not). */
  bytes: number;
}

/** The part of a file's result the counts are taken from. */
export interface CountedResult {
  verified: boolean;
  size: number;
  outcome?: string;
}
