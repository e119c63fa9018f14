import type { ListedObject } from '../../record/freshness';
import type { BriefObject } from '../../record/types';
import type { Verdict } from '../verdict';
import type { CrcOrigin } from './source';

/**
 * The check engine's model: the pairs it is given and the one result it returns for each, which the
 * editor report, the CLI and the exports all print through `./format`.
 */

/**
 * One pair to check: a local file and the object of the same relative path, either side possibly
 * absent. `listed` is what a listing said of the object (`null`: listed, and not there); without it the
 * object is asked of the source (a single file compared).
 */
export interface CheckPair {
  /** Relative to the compared folder or prefix, `/` separators: how reports name the pair. */
  path: string;
  key: string;
  /** The local file, when there is one. */
  local?: { path: string; size?: number };
  /** Where the local file would be, when there is none (a report's link to it). */
  missingLocalPath?: string;
  listed?: ListedObject | null;
  /** What the record knew of the object, when the caller read it (a cursor in key order). */
  known?: BriefObject | null;
}

/** The verdict on one pair and everything it was decided from. */
export interface CheckResult {
  status: Verdict;
  /** Relative to the compared folder or prefix (`/` separators). */
  relativePath: string;
  key: string;
  /** The local file (for one missing locally, where it would be), when the check had a local side. */
  localPath?: string;
  localSize?: number;
  remoteSize?: number;
  /** Unsigned decimal, when the file was hashed. */
  localCrc64?: string;
  /** Unsigned decimal. */
  remoteCrc64?: string;
  remoteCrcSource?: CrcOrigin;
  /** For `differ`: the CRC-64 recorded before for the same ETag and size (the content changed silently). */
  previousCrc64?: string;
  /** Why, in a few words: the sizes, "CRC-64 differs", the error's message. */
  detail?: string;
}
