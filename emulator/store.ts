import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Crc64Stream, combineCrc64 } from './crc64';
import { ObjectIndex } from './objects/objectIndex';
import { loadSeeds } from './seed/seed';
import { syntheticStream } from './seed/seedRange';
import type { DialectName } from './types';
import { objectFileName } from './objects/fileName';
import { beforeWrite, loadVersions } from './versions/history';

/**
 * The emulator's storage: buckets, objects and multipart uploads on disk, streamed in and out.
 *
 * Keys never become paths: each object's bytes live in a file named after a hash of its key, with a JSON
 * sidecar holding the key and metadata. A key like `../../etc/passwd` is an ordinary key here.
 */

export interface ObjectMeta {
  key: string;
  size: number;
  /** Decimal CRC-64 of the stored bytes; absent for legacy objects. */
  crc64?: string;
  /** Quoted, as sent in the ETag header. */
  etag: string;
  lastModified: number;
  contentType: string;
  /** `Normal` or `Multipart`. */
  type: string;
  userMeta: Record<string, string>;
  /** File name of the bytes inside the bucket's objects folder. */
  file: string;
  /** A seeded object: no file, the body is generated from the key (see seed/). */
  synthetic?: true;
  /** In a bucket whose versioning was ever set: this version's id (`null` for one written while suspended). */
  versionId?: string;
  /** OSS symlink (`type` `Symlink`): the key it points to. */
  symlinkTarget?: string;
  /** An archived object's restore: readable from `readyAt` until `expiresAt` (ms since the epoch). */
  restore?: { readyAt: number; expiresAt: number };
  /** Written with a customer key (SSE-C): its algorithm and the key's MD5 (base64), never the key. */
  sseC?: { algorithm: string; keyMd5: string };
}

export interface PartMeta {
  partNumber: number;
  size: number;
  crc64?: string;
  etag: string;
  /** Raw MD5 of the part (hex), for the multipart ETag. */
  md5: string;
  lastModified: number;
  file: string;
}

export interface UploadMeta {
  uploadId: string;
  key: string;
  initiated: number;
  contentType: string;
  userMeta: Record<string, string>;
  parts: Map<number, PartMeta>;
  /** Started with a customer key (SSE-C): every part must carry it, and the object is written with it. */
  sseC?: ObjectMeta['sseC'];
}

export interface BucketState {
  dialect: DialectName;
  name: string;
  owner: string;
  created: number;
  dir: string;
  /** Sorted by key (UTF-8 order) for listings, seeded ranges included. */
  objects: ObjectIndex<ObjectMeta>;
  uploads: Map<string, UploadMeta>;
}

/** The result of receiving one body into a temporary file. */
export interface Received {
  tmpPath: string;
  size: number;
  /** MD5 (hex) of the bytes as received, before any injected corruption. */
  md5: string;
  /** CRC-64 of the bytes as stored (unsigned decimal). */
  crc64: string;
}

export interface ReceiveOptions {
  /** Flip one byte of the stored copy (in-transit corruption). */
  corrupt?: boolean;
  /** Expected length, used to put the flipped byte in the middle. */
  expectedLength?: number;
  /** Called with the number of bytes received so far; may abort by throwing. */
  onBytes?: (received: number) => void;
}

export { objectFileName };

export class Store {
  readonly buckets = new Map<string, BucketState>();
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = join(root, 'tmp');
  }

  static bucketId(dialect: DialectName, name: string): string {
    return `${dialect}/${name}`;
  }

  async init(): Promise<void> {
    await fsp.mkdir(this.tmpDir, { recursive: true });
    for (const dialect of ['cos', 'oss'] as const) {
      const dDir = join(this.root, dialect);
      await fsp.mkdir(dDir, { recursive: true });
      for (const name of await fsp.readdir(dDir)) {
        const dir = join(dDir, name);
        let info: { owner: string; created: number };
        try {
          info = JSON.parse(await fsp.readFile(join(dir, 'bucket.json'), 'utf8'));
        } catch {
          continue;
        }
        const b: BucketState = {
          dialect,
          name,
          owner: info.owner,
          created: info.created,
          dir,
          objects: new ObjectIndex(),
          uploads: new Map(),
        };
        for (const f of await fsp.readdir(join(dir, 'objects')).catch(() => [] as string[])) {
          if (!f.endsWith('.json')) continue;
          try {
            const m = JSON.parse(await fsp.readFile(join(dir, 'objects', f), 'utf8')) as ObjectMeta;
            b.objects.set(m.key, m);
          } catch {
            // A sidecar being written when the process stopped: the object is not there.
          }
        }
        await loadSeeds(b);
        await loadVersions(b);
        await this.loadUploads(b);
        this.buckets.set(Store.bucketId(dialect, name), b);
      }
    }
  }

  /** Multipart uploads in progress survive a restart on the same data folder. */
  private async loadUploads(b: BucketState): Promise<void> {
    for (const id of await fsp.readdir(join(b.dir, 'uploads')).catch(() => [] as string[])) {
      const dir = join(b.dir, 'uploads', id);
      try {
        const info = JSON.parse(await fsp.readFile(join(dir, 'upload.json'), 'utf8')) as Omit<UploadMeta, 'parts'>;
        const u: UploadMeta = { ...info, parts: new Map() };
        for (const f of await fsp.readdir(dir)) {
          if (!/^part-\d+\.json$/.test(f)) continue;
          const part = JSON.parse(await fsp.readFile(join(dir, f), 'utf8')) as PartMeta;
          u.parts.set(part.partNumber, part);
        }
        b.uploads.set(u.uploadId, u);
      } catch {
        // Not a complete upload record: ignore it.
      }
    }
  }

  getBucket(dialect: DialectName, name: string): BucketState | undefined {
    return this.buckets.get(Store.bucketId(dialect, name));
  }

  async createBucket(dialect: DialectName, name: string, owner: string): Promise<BucketState> {
    const dir = join(this.root, dialect, name);
    await fsp.mkdir(join(dir, 'objects'), { recursive: true });
    await fsp.mkdir(join(dir, 'uploads'), { recursive: true });
    const created = Date.now();
    await fsp.writeFile(join(dir, 'bucket.json'), JSON.stringify({ owner, created }));
    const b: BucketState = { dialect, name, owner, created, dir, objects: new ObjectIndex(), uploads: new Map() };
    this.buckets.set(Store.bucketId(dialect, name), b);
    return b;
  }

  async deleteBucket(b: BucketState): Promise<void> {
    this.buckets.delete(Store.bucketId(b.dialect, b.name));
    await fsp.rm(b.dir, { recursive: true, force: true });
  }

  objectPath(b: BucketState, m: { file: string }): string {
    return join(b.dir, 'objects', m.file);
  }

  /** An object's bytes `start..end` (inclusive): its file, or generated for a seeded object. */
  openObject(b: BucketState, m: ObjectMeta, start = 0, end = m.size - 1): Readable {
    return m.synthetic ? syntheticStream(m.key, start, end) : createReadStream(this.objectPath(b, m), { start, end });
  }

  /** Stream a body into a temporary file, hashing MD5 (as received) and CRC-64 (as stored). */
  async receive(body: Readable, opts: ReceiveOptions = {}): Promise<Received> {
    const tmpPath = join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const md5 = createHash('md5');
    const crc = new Crc64Stream();
    let size = 0;
    const flipAt = opts.corrupt ? Math.max(0, Math.floor((opts.expectedLength ?? 1) / 2)) : -1;
    let flipped = false;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        md5.update(chunk);
        let out = chunk;
        if (flipAt >= 0 && !flipped && flipAt < size + chunk.length) {
          out = Buffer.from(chunk);
          out[flipAt - size] ^= 0x01;
          flipped = true;
        }
        size += chunk.length;
        try {
          opts.onBytes?.(size);
        } catch (e) {
          cb(e as Error);
          return;
        }
        crc.update(out);
        cb(null, out);
      },
    });
    try {
      await pipeline(body, tap, createWriteStream(tmpPath));
    } catch (e) {
      await fsp.rm(tmpPath, { force: true });
      throw e;
    }
    // An empty body cannot be corrupted; nothing to flip.
    return { tmpPath, size, md5: md5.digest('hex'), crc64: crc.digest() };
  }

  /** Hash a byte range of a stored file (for part copies). */
  async receiveRange(path: string, start: number, end: number): Promise<Received> {
    return this.receive(createReadStream(path, { start, end }));
  }

  async discard(tmpPath: string): Promise<void> {
    await fsp.rm(tmpPath, { force: true });
  }

  /** Move a received file into place as an object and record it. */
  async commitObject(b: BucketState, tmpPath: string, meta: Omit<ObjectMeta, 'file'>): Promise<ObjectMeta> {
    const file = `${objectFileName(meta.key)}.bin`;
    // A versioned bucket keeps the version being replaced before its file is overwritten.
    const versionId = await beforeWrite(b, meta.key);
    const full: ObjectMeta = { ...meta, file, ...(versionId ? { versionId } : {}) };
    await fsp.rename(tmpPath, join(b.dir, 'objects', file));
    await fsp.writeFile(join(b.dir, 'objects', `${objectFileName(meta.key)}.json`), JSON.stringify(full));
    b.objects.set(meta.key, full);
    return full;
  }

  /** Write an object's changed metadata (a restore) to its sidecar. */
  async saveMeta(b: BucketState, m: ObjectMeta): Promise<void> {
    if (!m.synthetic) await fsp.writeFile(join(b.dir, 'objects', `${objectFileName(m.key)}.json`), JSON.stringify(m));
  }

  async deleteObject(b: BucketState, key: string): Promise<void> {
    const m = b.objects.get(key);
    if (!m) return;
    b.objects.delete(key);
    const base = objectFileName(key);
    await fsp.rm(join(b.dir, 'objects', `${base}.json`), { force: true });
    await fsp.rm(join(b.dir, 'objects', `${base}.bin`), { force: true });
  }

  /** Copy an object's bytes into a temporary file. */
  async copyToTmp(b: BucketState, m: ObjectMeta): Promise<string> {
    const tmpPath = join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    if (m.synthetic) await pipeline(this.openObject(b, m), createWriteStream(tmpPath));
    else await fsp.copyFile(this.objectPath(b, m), tmpPath);
    return tmpPath;
  }

  // ---- multipart ----

  async initiateUpload(
    b: BucketState,
    key: string,
    contentType: string,
    userMeta: Record<string, string>,
    sseC?: UploadMeta['sseC'],
  ): Promise<UploadMeta> {
    const uploadId = `${Date.now().toString(16)}${randomBytes(12).toString('hex')}`.toUpperCase();
    const dir = join(b.dir, 'uploads', uploadId);
    await fsp.mkdir(dir, { recursive: true });
    const u: UploadMeta = { uploadId, key, initiated: Date.now(), contentType, userMeta, parts: new Map(), ...(sseC ? { sseC } : {}) };
    await fsp.writeFile(
      join(dir, 'upload.json'),
      JSON.stringify({ uploadId, key, initiated: u.initiated, contentType, userMeta, ...(sseC ? { sseC } : {}) }),
    );
    b.uploads.set(uploadId, u);
    return u;
  }

  async commitPart(b: BucketState, u: UploadMeta, partNumber: number, r: Received, withCrc = true): Promise<PartMeta> {
    const file = `${partNumber}-${randomBytes(4).toString('hex')}`;
    await fsp.rename(r.tmpPath, join(b.dir, 'uploads', u.uploadId, file));
    const old = u.parts.get(partNumber);
    const part: PartMeta = {
      partNumber,
      size: r.size,
      crc64: withCrc ? r.crc64 : undefined,
      etag: `"${r.md5}"`,
      md5: r.md5,
      lastModified: Date.now(),
      file,
    };
    u.parts.set(partNumber, part);
    await fsp.writeFile(join(b.dir, 'uploads', u.uploadId, `part-${partNumber}.json`), JSON.stringify(part));
    if (old) await fsp.rm(join(b.dir, 'uploads', u.uploadId, old.file), { force: true });
    return part;
  }

  /** Concatenate parts into an object; the CRC is the combine of the parts' CRCs, if all have one. */
  async completeUpload(b: BucketState, u: UploadMeta, parts: PartMeta[]): Promise<ObjectMeta> {
    const tmpPath = join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const uploadDir = join(b.dir, 'uploads', u.uploadId);
    // One pipeline over all parts in order: a pipeline per part into the same writer would leave a set of
    // listeners on it for every part.
    async function* partBytes(): AsyncGenerator<Buffer> {
      for (const p of parts) yield* createReadStream(join(uploadDir, p.file));
    }
    try {
      await pipeline(partBytes, createWriteStream(tmpPath));
    } catch (e) {
      await fsp.rm(tmpPath, { force: true });
      throw e;
    }
    let crc: string | undefined = '0';
    let size = 0;
    for (const p of parts) {
      size += p.size;
      if (crc === undefined || p.crc64 === undefined) {
        crc = undefined;
        continue;
      }
      crc = combineCrc64(crc, p.crc64, p.size);
    }
    const md5 = createHash('md5');
    for (const p of parts) md5.update(Buffer.from(p.md5, 'hex'));
    const meta = await this.commitObject(b, tmpPath, {
      key: u.key,
      size,
      crc64: crc,
      etag: `"${md5.digest('hex')}-${parts.length}"`,
      lastModified: Date.now(),
      contentType: u.contentType,
      type: 'Multipart',
      userMeta: u.userMeta,
      ...(u.sseC ? { sseC: u.sseC } : {}),
    });
    await this.abortUpload(b, u);
    return meta;
  }

  async abortUpload(b: BucketState, u: UploadMeta): Promise<void> {
    b.uploads.delete(u.uploadId);
    await fsp.rm(join(b.dir, 'uploads', u.uploadId), { recursive: true, force: true });
  }
}
