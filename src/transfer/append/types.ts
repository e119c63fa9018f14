import type { Appendable } from '../../storage/capabilities';
import type { ObjectStore } from '../../storage/types';
import { MiB } from '../planner';

/** Bytes sent per AppendObject request; each request's whole-object CRC-64 is checked. */
export const DEFAULT_APPEND_CHUNK = 8 * MiB;

/** What appending needs of a store: a HEAD and OSS AppendObject. */
export type AppendableStore = Pick<ObjectStore, 'head'> & Appendable;

export interface AppendOptions {
  bucket: string;
  key: string;
  /** The growing local file (a log): its bytes past the object's length are appended. */
  localPath: string;
  /** Bytes per append request (default 8 MiB). */
  chunkSize?: number;
  /** Times a position conflict (someone else appended) is settled by re-reading the position. Default: `INTEGRITY_RETRIES.appendConflicts`. */
  conflictRetries?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { bytesDone: number; bytesTotal: number }) => void;
  log?: (line: string) => void;
}

export interface AppendResult {
  bucket: string;
  key: string;
  path: string;
  /** The object's length before, and after. */
  previousSize: number;
  size: number;
  appendedBytes: number;
  /** Append requests sent. */
  appends: number;
  /** CRC-64 the object must have now: combine(previous CRC, CRC of the appended bytes, their length). */
  crc64: string;
  /** The service's CRC-64 of the whole object after the last append. */
  remoteCrc64?: string;
  /** True when every append's whole-object CRC-64 equalled the combined one. */
  verified: boolean;
  reason?: string;
  /** `up-to-date`: the object already had every byte of the file. */
  outcome: 'appended' | 'up-to-date';
  /** Position conflicts met and settled (another writer, or an append of ours whose answer was lost). */
  conflicts: number;
}

/** The local file is not the object plus new bytes: appending would build an object that never existed. */
export class AppendMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppendMismatchError';
  }
}
