import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/storage/errors';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { DestinationExistsError } from '../../../src/transfer/migrate';
import { copyRouted, type CopyPlace } from '../../../src/ui/copy/route';
import {
  connectionOptions,
  cosClient,
  makeCosBucket,
  makeOssBucket,
  ossClient,
  startTestEmulator,
  type Emulator,
} from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { loadVectors, vectorBytes } from '../../support/vectors';

/** Copy To… / Move or Rename… from a COS profile onto an OSS profile: the route the Buckets view takes. */
describe('copy and move across profiles (COS profile → OSS profile)', () => {
  let emu: Emulator;
  let cosBucket: string;
  let ossBucket: string;
  let cos: ObjectStore;
  let oss: ObjectStore;
  const vector = loadVectors().vectors.find((v) => v.name === 'lcg-65537');
  if (!vector) throw new Error('vector lcg-65537 missing from the oracle file');
  const data = Buffer.from(vectorBytes(vector.gen));

  const place = (provider: ProviderKind, bucket: string, key: string): CopyPlace => ({
    store: provider === 'cos' ? cos : oss,
    endpoint: { connection: connectionOptions(emu, provider) },
    bucket,
    key,
  });
  /** The destination's CRC-64 as the OSS SDK itself reads it from a HEAD. */
  const ossCrc = async (key: string): Promise<string | undefined> => {
    const head = await ossClient(emu, ossBucket).head(key);
    return (head.res.headers as Record<string, string>)['x-oss-hash-crc64ecma'];
  };
  const cosExists = async (key: string): Promise<boolean> =>
    cos.head(cosBucket, key).then(
      () => true,
      (err: unknown) => {
        if (err instanceof StorageError && err.kind === 'no-such-key') return false;
        throw err;
      },
    );

  beforeAll(async () => {
    emu = await startTestEmulator();
    cosBucket = await makeCosBucket(emu, 'xsrc');
    ossBucket = await makeOssBucket(emu, 'xdst');
    cos = await emulatorStore(emu, 'cos', { maxRetries: 0, retryBaseDelayMs: 1 });
    oss = await emulatorStore(emu, 'oss', { maxRetries: 0, retryBaseDelayMs: 1 });
    await cos.put(cosBucket, 'data/a.bin', data);
    await cos.put(cosBucket, 'data/b.bin', data);
  });
  afterAll(async () => {
    await emu?.close();
  });

  it('streams the copy (another cloud), verified, and the OSS SDK reads the oracle CRC-64 on the destination', async () => {
    const progress: number[] = [];
    const outcome = await copyRouted(place('cos', cosBucket, 'data/a.bin'), place('oss', ossBucket, 'copied/a.bin'), {
      move: false,
      overwrite: false,
      onProgress: (done) => progress.push(done),
    });
    expect(outcome).toMatchObject({ method: 'stream', verified: true, size: data.length, sourceDeleted: false });
    expect(await ossCrc('copied/a.bin')).toBe(vector.crc64);
    expect(outcome.targetCrc64).toBe(vector.crc64);
    expect(progress.at(-1)).toBe(data.length);
    expect(await cosExists('data/a.bin')).toBe(true);
  });

  it('moves: the COS source is deleted only after the OSS copy is verified', async () => {
    const outcome = await copyRouted(place('cos', cosBucket, 'data/b.bin'), place('oss', ossBucket, 'moved/b.bin'), {
      move: true,
      overwrite: false,
    });
    expect(outcome).toMatchObject({ method: 'stream', verified: true, sourceDeleted: true });
    expect(await ossCrc('moved/b.bin')).toBe(vector.crc64);
    expect(await cosExists('data/b.bin')).toBe(false);
  });

  it('keeps the COS source of a move whose copy cannot be verified (a source stored without a CRC-64)', async () => {
    await emu.putLegacyObject('cos', cosBucket, 'legacy.txt', 'stored by an old tool');
    const outcome = await copyRouted(place('cos', cosBucket, 'legacy.txt'), place('oss', ossBucket, 'legacy.txt'), {
      move: true,
      overwrite: false,
    });
    expect(outcome.verified).toBe(false);
    expect(outcome.reason).toBeTruthy();
    expect(outcome.sourceDeleted).toBe(false);
    expect(await cosExists('legacy.txt')).toBe(true);
  });

  it('refuses to replace an existing destination unless asked, and leaves it as it was', async () => {
    await oss.put(ossBucket, 'taken.bin', Buffer.from('already here'));
    const before = await ossCrc('taken.bin');
    await expect(
      copyRouted(place('cos', cosBucket, 'data/a.bin'), place('oss', ossBucket, 'taken.bin'), { move: false, overwrite: false }),
    ).rejects.toBeInstanceOf(DestinationExistsError);
    expect(await ossCrc('taken.bin')).toBe(before);
    const replaced = await copyRouted(place('cos', cosBucket, 'data/a.bin'), place('oss', ossBucket, 'taken.bin'), {
      move: false,
      overwrite: true,
    });
    expect(replaced.verified).toBe(true);
    expect(await ossCrc('taken.bin')).toBe(vector.crc64);
  });

  it('copies server-side within one profile (same cloud and keys): no byte through the client', async () => {
    const outcome = await copyRouted(place('cos', cosBucket, 'data/a.bin'), place('cos', cosBucket, 'same/a.bin'), {
      move: false,
      overwrite: false,
    });
    expect(outcome.method).toBe('server');
    expect(outcome.verified).toBe(true);
    const head = await cosClient(emu).headObject({ Bucket: cosBucket, Region: emu.cos.region, Key: 'same/a.bin' });
    expect(head.headers?.['x-cos-hash-crc64ecma']).toBe(vector.crc64);
  });
});
