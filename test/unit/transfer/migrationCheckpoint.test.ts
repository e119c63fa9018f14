import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MigrationCheckpointStore, type MigrationCheckpoint, type MigrationTarget } from '../../../src/transfer/migrate';

const target: MigrationTarget = {
  source: { provider: 'cos', service: 'http://127.0.0.1:1', bucket: 'a-1250000000', key: 'x/big.bin' },
  destination: { provider: 'oss', service: 'http://127.0.0.1:1', bucket: 'b', key: 'y/big.bin' },
};

const checkpoint = (t: MigrationTarget): MigrationCheckpoint => ({
  version: 1,
  ...t,
  sourceEtag: '"abc"',
  sourceSize: 100,
  sourceCrc64: '123',
  uploadId: 'u1',
  partSize: 50,
  parts: [{ partNumber: 1, etag: 'e1', crc64: '42', size: 50, verified: true }],
  createdAt: new Date(0).toISOString(),
});

describe('migration checkpoints', () => {
  it('keeps one checkpoint per source/destination pair and gives it back as saved', async () => {
    const store = new MigrationCheckpointStore(mkdtempSync(join(tmpdir(), 'bi-mig-cp-')));
    const other: MigrationTarget = { ...target, destination: { ...target.destination, key: 'y/other.bin' } };
    await store.save(checkpoint(target));
    await store.save({ ...checkpoint(other), uploadId: 'u2' });
    expect(await store.load(target)).toEqual(checkpoint(target));
    expect((await store.load(other))?.uploadId).toBe('u2');
    expect(readdirSync(store.folder).filter((n) => n.endsWith('.json'))).toHaveLength(2);
    await store.delete(target);
    expect(await store.load(target)).toBeUndefined();
    expect(await store.load(other)).toBeDefined();
  });

  it('treats a damaged or foreign checkpoint file as none (the migration starts over)', async () => {
    const store = new MigrationCheckpointStore(mkdtempSync(join(tmpdir(), 'bi-mig-cp-')));
    writeFileSync(store.fileFor(target), '{"version":1,');
    expect(await store.load(target)).toBeUndefined();
    // A file whose content names another pair (copied by hand, a hash collision) is not taken over.
    const elsewhere = { ...target, source: { ...target.source, service: 'https://cos.ap-guangzhou.myqcloud.com' } };
    writeFileSync(store.fileFor(target), JSON.stringify(checkpoint(elsewhere)));
    expect(await store.load(target)).toBeUndefined();
  });
});
