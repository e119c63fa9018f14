import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';

let emu: Emulator;

beforeAll(async () => {
  emu = await startTestEmulator();
});

afterAll(async () => {
  await emu?.close();
});

describe('the extension adapters reach the emulator through ConnectionOptions.endpoint', () => {
  it.each(['cos', 'oss'] as const)('%s: put, head and list with CRC-64', async (provider) => {
    const bucket = provider === 'cos' ? await makeCosBucket(emu, 'helper') : await makeOssBucket(emu, 'helper');
    const store = await emulatorStore(emu, provider);
    const body = Buffer.from(`through the ${provider} adapter`);
    await store.put(bucket, 'dir/file.txt', body);
    const info = await store.head(bucket, 'dir/file.txt');
    expect(info.size).toBe(body.length);
    expect(info.crc64).toBe(formatCrc64(crc64(body)));
    const page = await store.list(bucket, { prefix: 'dir/' });
    expect(JSON.stringify(page)).toContain('dir/file.txt');
  });
});
