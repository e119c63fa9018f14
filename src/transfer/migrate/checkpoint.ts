import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointPart } from '../checkpoint';
import { writeFileAtomic } from '../../util/atomicFile';

/**
 * Resume checkpoints for migrations (object store → object store). One JSON file per source/destination
 * pair in a folder the caller owns, written atomically. The source's ETag and size are kept so a source
 * that changed since the interrupted run is never stitched together with parts of its old content.
 */

/** One end of a migration: which service, bucket and key. */
export interface MigrationEnd {
  provider: string;
  /** Endpoint or region, so a checkpoint never resumes against another service. */
  service: string;
  bucket: string;
  key: string;
}

export interface MigrationTarget {
  source: MigrationEnd;
  destination: MigrationEnd;
}

export interface MigrationCheckpoint extends MigrationTarget {
  version: 1;
  /** The source as it was when the migration started; any change means start over. */
  sourceEtag: string;
  sourceSize: number;
  sourceCrc64?: string;
  uploadId: string;
  partSize: number;
  /** Parts stored at the destination; `crc64` is that of the bytes streamed from the source. */
  parts: CheckpointPart[];
  createdAt: string;
}

const sameEnd = (a: MigrationEnd, b: MigrationEnd): boolean =>
  a.provider === b.provider && a.service === b.service && a.bucket === b.bucket && a.key === b.key;

export class MigrationCheckpointStore {
  constructor(readonly folder: string) {}

  /** File name for a pair: a hash, so keys with any characters map to a safe name. */
  fileFor(target: MigrationTarget): string {
    const ends = [target.source, target.destination].map((e) => [e.provider, e.service, e.bucket, e.key]);
    const id = createHash('sha256').update(JSON.stringify(ends)).digest('hex').slice(0, 32);
    return join(this.folder, `migrate-${id}.json`);
  }

  /** The checkpoint for this pair, or `undefined` when there is none or it is unreadable. */
  async load(target: MigrationTarget): Promise<MigrationCheckpoint | undefined> {
    try {
      const cp = JSON.parse(await fs.readFile(this.fileFor(target), 'utf8')) as MigrationCheckpoint;
      const valid =
        cp.version === 1 &&
        sameEnd(cp.source, target.source) &&
        sameEnd(cp.destination, target.destination) &&
        typeof cp.uploadId === 'string' &&
        Array.isArray(cp.parts);
      return valid ? cp : undefined;
    } catch {
      // Missing or damaged: the migration starts over, nothing is lost.
      return undefined;
    }
  }

  async save(cp: MigrationCheckpoint): Promise<void> {
    await writeFileAtomic(this.fileFor(cp), JSON.stringify(cp));
  }

  async delete(target: MigrationTarget): Promise<void> {
    await fs.rm(this.fileFor(target), { force: true });
  }
}
