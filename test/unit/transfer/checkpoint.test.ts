import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore, localFileIdentity, sameLocalFile, type UploadCheckpoint } from '../../../src/transfer/checkpoint';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store(): CheckpointStore {
  const d = mkdtempSync(join(tmpdir(), 'bi-cp-'));
  dirs.push(d);
  return new CheckpointStore(join(d, 'checkpoints'));
}

const target = { provider: 'cos', service: 'http://127.0.0.1:9', bucket: 'b', key: 'dir/../weird key?.bin', localPath: '/data/big.bin' };
const cp: UploadCheckpoint = {
  version: 1,
  ...target,
  localSize: 10,
  localMtimeMs: 1234.5,
  uploadId: 'u-1',
  partSize: 5,
  parts: [{ partNumber: 1, etag: '"e1"', crc64: '42', size: 5, verified: true }],
  createdAt: new Date(0).toISOString(),
};

describe('CheckpointStore', () => {
  it('saves, loads, lists and deletes a checkpoint', async () => {
    const s = store();
    expect(await s.load(target)).toBeUndefined();
    await s.save(cp);
    expect(await s.load(target)).toEqual(cp);
    expect(await s.all()).toEqual([cp]);
    // No temp file is left behind by the atomic write.
    expect(readdirSync(s.folder)).toHaveLength(1);
    await s.delete(target);
    expect(await s.load(target)).toBeUndefined();
    await s.delete(target); // twice is fine
  });

  it('never hands a checkpoint to another destination', async () => {
    const s = store();
    await s.save(cp);
    expect(await s.load({ ...target, service: 'elsewhere' })).toBeUndefined();
    expect(await s.load({ ...target, localPath: '/data/other.bin' })).toBeUndefined();
    expect(await s.load({ ...target, bucket: 'b2' })).toBeUndefined();
  });

  it('treats a damaged checkpoint as none', async () => {
    const s = store();
    await s.save(cp);
    writeFileSync(s.fileFor(target), '{"version":1, trunc');
    expect(await s.load(target)).toBeUndefined();
    writeFileSync(s.fileFor(target), JSON.stringify({ ...cp, uploadId: 7 }));
    expect(await s.load(target)).toBeUndefined();
  });
});

describe('local file identity', () => {
  const id = { localSize: 10, localMtimeMs: 1000.25, localIno: 77, localCtimeMs: 2000.5 };

  it('is the same file only when size and mtime match, and inode and ctime where both sides have them', () => {
    expect(sameLocalFile(id, { ...id })).toBe(true);
    expect(sameLocalFile(id, { ...id, localSize: 11 })).toBe(false);
    expect(sameLocalFile(id, { ...id, localMtimeMs: 1000.5 })).toBe(false);
    expect(sameLocalFile(id, { ...id, localIno: 78 })).toBe(false);
    expect(sameLocalFile(id, { ...id, localCtimeMs: 2001 })).toBe(false);
  });

  it('compares the full stamp (ns times, inode, device) when both sides have it', () => {
    const stamped = { ...id, localStamp: '10:1000250000:2000500000:77:3' };
    expect(sameLocalFile(stamped, { ...stamped })).toBe(true);
    expect(sameLocalFile(stamped, { ...stamped, localStamp: '10:1000250000:2000500000:77:4' })).toBe(false);
    expect(sameLocalFile(stamped, { ...stamped, localStamp: '10:1000250001:2000500000:77:3' })).toBe(false);
  });

  it('falls back to size and mtime for a checkpoint written without inode and ctime', () => {
    expect(sameLocalFile({ localSize: 10, localMtimeMs: 1000.25 }, id)).toBe(true);
    expect(sameLocalFile({ localSize: 10, localMtimeMs: 1000 }, id)).toBe(false);
  });

  it('sees a rewrite whose mtime was put back: the ctime moved', async () => {
    const d = mkdtempSync(join(tmpdir(), 'bi-id-'));
    dirs.push(d);
    const file = join(d, 'f.bin');
    writeFileSync(file, 'aaaa');
    const when = new Date('2026-01-01T00:00:00Z');
    utimesSync(file, when, when);
    const before = localFileIdentity(statSync(file, { bigint: true }));
    // Let the clock move past the first ctime.
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(file, 'bbbb');
    utimesSync(file, when, when);
    const after = localFileIdentity(statSync(file, { bigint: true }));
    expect(after.localMtimeMs).toBe(before.localMtimeMs);
    expect(sameLocalFile(before, after)).toBe(false);
  });
});
