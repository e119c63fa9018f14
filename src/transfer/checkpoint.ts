import { createHash } from 'node:crypto';
import { promises as fs, type BigIntStats } from 'node:fs';
import { stampKey, stampOf } from '../crc/localCrcs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicFile';

/**
 * Resume checkpoints for multipart uploads. They live in a folder the caller owns (the extension's
 * global storage, or the CLI's state folder), never next to the user's files, one JSON file per
 * destination. Writes are atomic (temp file + rename) so a crash mid-write leaves the previous checkpoint.
 */

export interface CheckpointPart {
  partNumber: number;
  etag: string;
  /** Our CRC-64 of the bytes we sent (decimal). */
  crc64: string;
  size: number;
  /** False when the service returned no CRC for this part, so it could not be checked. */
  verified: boolean;
}

export interface UploadCheckpoint {
  version: 1;
  provider: string;
  /** Endpoint or region, so a checkpoint never resumes against another service. */
  service: string;
  bucket: string;
  key: string;
  localPath: string;
  /** The local file as it was when its parts were read; any change means start over. */
  localSize: number;
  localMtimeMs: number;
  /** Inode and status-change time where the platform has them (absent in older checkpoints). */
  localIno?: number;
  localCtimeMs?: number;
  /** The full stamp (`LocalFileIdentity.localStamp`; absent in older checkpoints). */
  localStamp?: string;
  uploadId: string;
  partSize: number;
  parts: CheckpointPart[];
  /** Complete was sent: the upload may already be assembled even if its answer never arrived. */
  completing?: boolean;
  createdAt: string;
}

/** What identifies the local file's contents without reading them. */
export interface LocalFileIdentity {
  localSize: number;
  localMtimeMs: number;
  localIno?: number;
  localCtimeMs?: number;
  /** The full `FileStamp` (size, mtime and ctime in ns, inode, device) as `stampKey` writes it. */
  localStamp?: string;
}

export function localFileIdentity(stat: BigIntStats): LocalFileIdentity {
  const stamp = stampOf(stat);
  return {
    localSize: stamp.size,
    localMtimeMs: Number(stat.mtimeMs),
    // 0 means "no inode number" (some file systems and platforms).
    ...(stat.ino ? { localIno: Number(stat.ino) } : {}),
    ...(stat.ctimeMs ? { localCtimeMs: Number(stat.ctimeMs) } : {}),
    localStamp: stampKey(stamp),
  };
}

/**
 * Whether two identities may be the same file with the same contents: the local-CRC rule's stamp (size,
 * mtime and ctime in ns, inode, device; src/crc/localCrcs.ts). Restoring an mtime (`touch -r`) changes
 * the ctime, so a rewrite that hides itself behind the old mtime is still seen. A checkpoint of an older
 * version has less: size and mtime, inode and ctime in ms when both sides have them; resume re-hashes
 * every kept part anyway.
 */
export function sameLocalFile(a: LocalFileIdentity, b: LocalFileIdentity): boolean {
  if (a.localStamp !== undefined && b.localStamp !== undefined) return a.localStamp === b.localStamp;
  if (a.localSize !== b.localSize || a.localMtimeMs !== b.localMtimeMs) return false;
  if (a.localIno !== undefined && b.localIno !== undefined && a.localIno !== b.localIno) return false;
  if (a.localCtimeMs !== undefined && b.localCtimeMs !== undefined && a.localCtimeMs !== b.localCtimeMs) return false;
  return true;
}

export interface CheckpointTarget {
  provider: string;
  service: string;
  bucket: string;
  key: string;
  localPath: string;
}

export class CheckpointStore {
  constructor(readonly folder: string) {}

  /** File name for a destination: a hash, so keys with any characters map to a safe name. */
  fileFor(target: CheckpointTarget): string {
    const id = createHash('sha256')
      .update(JSON.stringify([target.provider, target.service, target.bucket, target.key, target.localPath]))
      .digest('hex')
      .slice(0, 32);
    return join(this.folder, `upload-${id}.json`);
  }

  /** The checkpoint for this destination, or `undefined` when there is none or it is unreadable. */
  async load(target: CheckpointTarget): Promise<UploadCheckpoint | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.fileFor(target), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const cp = JSON.parse(text) as UploadCheckpoint;
      const same =
        cp.version === 1 &&
        cp.provider === target.provider &&
        cp.service === target.service &&
        cp.bucket === target.bucket &&
        cp.key === target.key &&
        cp.localPath === target.localPath &&
        typeof cp.uploadId === 'string' &&
        Array.isArray(cp.parts);
      return same ? cp : undefined;
    } catch {
      // A damaged checkpoint is treated as none: the upload starts over, nothing is lost.
      return undefined;
    }
  }

  async save(cp: UploadCheckpoint): Promise<void> {
    await writeFileAtomic(this.fileFor(cp), JSON.stringify(cp));
  }

  async delete(target: CheckpointTarget): Promise<void> {
    await fs.rm(this.fileFor(target), { force: true });
  }

  /** Every checkpoint in the folder (for "resume interrupted uploads" lists). */
  async all(): Promise<UploadCheckpoint[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.folder);
    } catch {
      return [];
    }
    const out: UploadCheckpoint[] = [];
    for (const name of names) {
      if (!/^upload-[0-9a-f]+\.json$/.test(name)) continue;
      try {
        out.push(JSON.parse(await fs.readFile(join(this.folder, name), 'utf8')) as UploadCheckpoint);
      } catch {
        // skip unreadable
      }
    }
    return out;
  }
}
