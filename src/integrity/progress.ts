/**
 * How a check (Compare, Verify) reports its progress: numbers only, never sentences — the editor and
 * the CLI say them in their own words.
 */
export interface CheckProgress {
  /**
   * `list`: listing both sides; `head`: asking the service for CRC-64s; `hash`: hashing local files;
   * `check`: objects judged (Verify, page after page).
   */
  phase: 'list' | 'head' | 'hash' | 'check';
  /** Objects (files while hashing) done so far. */
  done: number;
  /** Expected, when known; never less than `done`. */
  total?: number;
  bytesDone?: number;
  bytesTotal?: number;
  objectsPerSecond?: number;
  etaSeconds?: number;
  /** HEAD requests made so far. */
  heads?: number;
}
