import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore, type UploadCheckpoint } from '../../../src/transfer/checkpoint';

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
