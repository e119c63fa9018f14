import { randomBytes } from 'node:crypto';
import { promises as fsp, writeFile } from 'node:fs';
import { join } from 'node:path';
import type { ObjectIndex } from '../objects/objectIndex';
import type { Store } from '../store';
import type { DialectName } from '../types';
import { SeedRange, type SeededMeta, type SeedSpec } from './seedRange';

/**
 * Seeding many objects at once (`POST /_emulator/seed-objects`, `emulator.seedObjects`). Each call adds one
 * seeded range to the bucket and saves it beside the bucket (`seeds/<id>.json` for the spec, `<id>.bin` for
 * the CRCs and MD5s, `<id>.removed` for keys deleted or overwritten since), so a data folder keeps them.
 */

export interface SeedRequest {
  prefix: string;
  count: number;
  /** Bytes per object; default 32. */
  size?: number;
  /** false: store the objects without a CRC-64; default true. */
  withCrc?: boolean;
}

export interface SeedResult {
  prefix: string;
  count: number;
  size: number;
  /** The first and last keys created. */
  firstKey: string;
  lastKey: string;
}

/** The parts of a bucket seeding needs. */
export interface SeedableBucket {
  dir: string;
  objects: ObjectIndex<{ key: string } & Partial<Omit<SeededMeta, 'key'>>>;
}

const MAX_COUNT = 50_000_000;
const MAX_SIZE = 16 * 1024 * 1024;
const SAVE_DELAY_MS = 50;

function seedDir(b: SeedableBucket): string {
  return join(b.dir, 'seeds');
}

function validate(req: SeedRequest): SeedSpec {
  const count = Number(req.count);
  const size = req.size === undefined ? 32 : Number(req.size);
  if (typeof req.prefix !== 'string') throw new Error('prefix must be a string');
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new Error(`count must be an integer from 1 to ${MAX_COUNT}`);
  if (!Number.isInteger(size) || size < 0 || size > MAX_SIZE) throw new Error(`size must be an integer from 0 to ${MAX_SIZE}`);
  return { prefix: req.prefix, count, size, width: String(count - 1).length, lastModified: Date.now(), withCrc: req.withCrc !== false };
}

/** Save a range's removals soon after they happen (one write for a burst of deletes). */
function watchRemovals(b: SeedableBucket, range: SeedRange): void {
  let timer: NodeJS.Timeout | undefined;
  range.onRemove = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      writeFile(join(seedDir(b), `${range.id}.removed`), range.removed, () => undefined);
    }, SAVE_DELAY_MS);
    timer.unref();
  };
}

function seeded(b: SeedableBucket): SeedRange[] {
  return b.objects.ranges().filter((r): r is SeedRange => r instanceof SeedRange);
}

/**
 * Create `count` objects `<prefix>0…0` … `<prefix><count-1>` in the bucket. Seeding the same prefix again
 * replaces the earlier range; a prefix that overlaps another seeded prefix (one starts with the other) is
 * refused, as their keys could collide. Stored objects whose keys the range covers are deleted (`deleteStored`).
 */
export async function seedObjects(b: SeedableBucket, req: SeedRequest, deleteStored: (key: string) => Promise<void>): Promise<SeedResult> {
  const spec = validate(req);
  for (const r of seeded(b)) {
    if (r.spec.prefix === spec.prefix) continue;
    if (r.spec.prefix.startsWith(spec.prefix) || spec.prefix.startsWith(r.spec.prefix)) {
      throw new Error(`prefix "${spec.prefix}" overlaps the seeded prefix "${r.spec.prefix}"`);
    }
  }
  const range = await SeedRange.create(`${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`, spec);
  for (const old of seeded(b).filter((r) => r.spec.prefix === spec.prefix)) await dropRange(b, old);
  // No other range overlaps this prefix now, so the keys under it are stored objects.
  for (const key of [...b.objects.keysFrom(spec.prefix)].filter((k) => range.covers(k))) await deleteStored(key);
  await fsp.mkdir(seedDir(b), { recursive: true });
  await fsp.writeFile(join(seedDir(b), `${range.id}.bin`), Buffer.concat([Buffer.from(range.crcs.buffer), range.md5s]));
  await fsp.writeFile(join(seedDir(b), `${range.id}.removed`), range.removed);
  await fsp.writeFile(join(seedDir(b), `${range.id}.json`), JSON.stringify(spec));
  b.objects.addRange(range, (k) => range.covers(k));
  watchRemovals(b, range);
  return { prefix: spec.prefix, count: spec.count, size: spec.size, firstKey: range.keyAt(0), lastKey: range.keyAt(spec.count - 1) };
}

async function dropRange(b: SeedableBucket, range: SeedRange): Promise<void> {
  b.objects.removeRange(range);
  range.onRemove = undefined;
  for (const ext of ['json', 'bin', 'removed']) await fsp.rm(join(seedDir(b), `${range.id}.${ext}`), { force: true });
}

/** `seedObjects` on a bucket of the store, by name (the control API and `emulator.seedObjects`). */
export async function seedBucket(store: Store, dialect: DialectName, bucket: string, req: SeedRequest): Promise<SeedResult> {
  if (dialect !== 'cos' && dialect !== 'oss') throw new Error('dialect must be cos or oss');
  const b = store.getBucket(dialect, bucket);
  if (!b) throw new Error(`no ${dialect} bucket "${bucket}"`);
  return seedObjects(b, req, (key) => store.deleteObject(b, key));
}

/** Load the seeded ranges saved beside a bucket (at start-up on a kept data folder). */
export async function loadSeeds(b: SeedableBucket): Promise<void> {
  const dir = seedDir(b);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const id = name.slice(0, -'.json'.length);
    try {
      const spec = JSON.parse(await fsp.readFile(join(dir, name), 'utf8')) as SeedSpec;
      const bin = await fsp.readFile(join(dir, `${id}.bin`));
      const removed = new Uint8Array(await fsp.readFile(join(dir, `${id}.removed`)));
      if (bin.length !== spec.count * 24 || removed.length !== spec.count) continue;
      const crcs = new BigUint64Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + spec.count * 8));
      const md5s = new Uint8Array(bin.subarray(spec.count * 8));
      const range = new SeedRange(id, spec, crcs, md5s, removed);
      b.objects.addRange(range, (k) => range.covers(k), true);
      watchRemovals(b, range);
    } catch {
      // A range being written when the process stopped: its objects are not there.
    }
  }
}
