import * as l10n from '@vscode/l10n';
import type { ObjectInfo, ObjectStore, ProviderKind } from '../../storage/types';
import type { PartBufferPool } from '../bufferPool';
import { MiB } from '../planner';
import type { MigrationCheckpointStore } from './checkpoint';

export const DEFAULT_MIGRATE_PART_SIZE = 8 * MiB;
export const DEFAULT_MIGRATE_CONCURRENCY = 4;

/** One side of a migration: a store (any cloud, any account) and a place in it. */
export interface MigrationSide {
  store: ObjectStore;
  bucket: string;
  key: string;
  /**
   * The store's canonical service (`serviceOf`: `canonicalService` of its connection), so a checkpoint never
   * resumes against another service and a copy onto itself is seen whatever the endpoint's spelling.
   */
  service?: string;
}

/** What to do when the destination object already exists. */
export type IfDestinationExists = 'refuse' | 'skip' | 'overwrite';

export interface MigrateProgress {
  bytesDone: number;
  bytesTotal: number;
}

/** Tuning shared by a single object and a prefix migration. */
export interface MigrateTuning {
  /** Part size in bytes (raised automatically to stay within 10,000 parts). */
  partSize?: number;
  /** Objects larger than this go multipart; default: the part size. */
  multipartThreshold?: number;
  /** Parts in flight at once; memory is bounded by `partSize × concurrency`. */
  concurrency?: number;
  /** Times a part whose destination CRC-64 came back wrong is sent again. */
  partRetries?: number;
  /** Times the whole object is streamed again when the stream's CRC-64 is not the source's. */
  sourceRetries?: number;
  /** Smallest part except the last (services: 1 MiB). Lowered only in tests, with the emulator's limit. */
  minPartSize?: number;
  maxParts?: number;
  retryBaseDelayMs?: number;
  /** `false` skips every CRC computation (the benchmark's baseline); results are then "not verified". */
  verify?: boolean;
  /** Where resume checkpoints live; without it an interrupted migration starts over. */
  checkpoints?: MigrationCheckpointStore;
  /** On cancel: `keep` the destination's multipart upload for a resume (default with checkpoints) or `abort` it. */
  onCancel?: 'keep' | 'abort';
  /** Default `refuse`: an existing destination object is never replaced without being asked. */
  ifExists?: IfDestinationExists;
  /** Part buffers; a prefix migration shares one pool between its objects. */
  buffers?: PartBufferPool;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface MigrateOptions extends MigrateTuning {
  source: MigrationSide;
  destination: MigrationSide;
  onProgress?: (progress: MigrateProgress) => void;
}

export interface ObjectRef {
  provider: ProviderKind;
  bucket: string;
  key: string;
}

export interface MigrateResult {
  source: ObjectRef;
  destination: ObjectRef;
  size: number;
  /** 0 for a single PUT. */
  parts: number;
  partSize?: number;
  /** The CRC-64 the source service reported (absent for objects stored without one). */
  sourceCrc64?: string;
  /** Our CRC-64 of the bytes streamed from the source (combined over parts). */
  streamCrc64?: string;
  /** The CRC-64 the destination service reported for what it stored. */
  destinationCrc64?: string;
  /** True only when source, stream and destination CRC-64 are all present and equal. */
  verified: boolean;
  /** Why the copy is not verified, when it is not. */
  reason?: string;
  outcome: 'copied' | 'skipped';
  /** Parts sent again because the destination's CRC-64 of them was wrong (0 stands for a single PUT). */
  retriedParts: number[];
  /** Parts taken over from an interrupted migration. */
  resumedParts: number;
  /** Times the source was streamed again because its bytes did not match its CRC-64. */
  sourceRetries: number;
  /** The source's HEAD before the copy: what a move proves the source still is before deleting it. */
  sourceInfo?: ObjectInfo;
}

/** The destination already has an object and `ifExists` is `refuse`. */
export class DestinationExistsError extends Error {
  constructor(readonly destination: ObjectRef) {
    super(
      l10n.t(
        '{0} already exists; choose to skip or overwrite it (CLI: --if-exists skip|overwrite).',
        `${destination.provider}://${destination.bucket}/${destination.key}`,
      ),
    );
    this.name = 'DestinationExistsError';
  }
}
