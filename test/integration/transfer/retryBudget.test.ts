import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadObject } from '../../../src/transfer/downloader';
import { INTEGRITY_RETRIES } from '../../../src/transfer/retryBudget';
import { uploadFile } from '../../../src/transfer/upload';
import { data, opsFor, useTransferEnv } from './fixture';

/**
 * The integrity-retry budget is one policy (src/transfer/retryBudget.ts): a transfer given no budget of
 * its own spends exactly the policy's, counted in the requests the emulator saw.
 */
const env = useTransferEnv();
let counter = 0;

describe('the integrity-retry budget, by default', () => {
  it('a PUT the service keeps storing damaged is sent 1 + partResends times', async () => {
    const store = await env.store('oss');
    const key = `budget/put-${++counter}.bin`;
    env.emu.faults.add({ op: 'PutObject', key, times: Infinity, action: { kind: 'corrupt-upload' } });
    await expect(
      uploadFile(store, { bucket: env.bucket.oss, key, localPath: env.file(`put-${counter}.bin`, data(3000)) }),
    ).rejects.toThrow();
    expect(opsFor(env.emu, key).filter((op) => op === 'PutObject')).toHaveLength(1 + INTEGRITY_RETRIES.partResends);
  });

  it('a download that keeps arriving corrupt is fetched 1 + downloadRefetches times', async () => {
    const store = await env.store('cos');
    const key = `budget/get-${++counter}.bin`;
    await store.put(env.bucket.cos, key, data(5000));
    env.emu.faults.add({ op: 'GetObject', key, times: Infinity, action: { kind: 'corrupt-download' } });
    await expect(downloadObject(store, { bucket: env.bucket.cos, key, targetPath: join(env.dir, `get-${counter}.bin`) })).rejects.toThrow();
    expect(opsFor(env.emu, key).filter((op) => op === 'GetObject')).toHaveLength(1 + INTEGRITY_RETRIES.downloadRefetches);
  });
});
