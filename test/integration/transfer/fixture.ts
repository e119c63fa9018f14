import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createObjectStore } from '../../../src/storage';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../../src/storage/types';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator/types';
import { connectionOptions } from '../../support/emulator';

/** Small parts keep multipart tests fast: the emulator's limit is lowered to match. */
export const PART = 64 * 1024;

export interface Env {
  emu: Emulator;
  dir: string;
  /** Bucket name per provider (COS names carry the app id). */
  bucket: Record<ProviderKind, string>;
  connection(provider: ProviderKind): ConnectionOptions;
  store(provider: ProviderKind): Promise<ObjectStore>;
  file(name: string, bytes: Buffer | string): string;
  close(): Promise<void>;
}

export async function setup(): Promise<Env> {
  const emu = await startEmulator({ minPartSize: PART });
  const dir = mkdtempSync(join(tmpdir(), 'bi-transfer-'));
  const bucket = { cos: `transfer-${emu.cos.appId}`, oss: 'transfer-oss' };
  await emu.createBucket('cos', bucket.cos);
  await emu.createBucket('oss', bucket.oss);
  const connection = (provider: ProviderKind): ConnectionOptions =>
    connectionOptions(emu, provider, {
      // The transfer layer's own re-sends and refetches are under test: the adapters give up at once, quickly.
      maxRetries: 0,
      retryBaseDelayMs: 1,
      timeoutMs: 20_000,
    });
  return {
    emu,
    dir,
    bucket,
    connection,
    store: (provider) => createObjectStore(connection(provider)),
    file(name, bytes) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
    async close() {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One emulator for a test file: started before its tests, closed after, faults cleared before each test.
 * The returned object stands for the environment once it is up.
 */
export function useTransferEnv(): Env {
  let real: Env | undefined;
  beforeAll(async () => {
    real = await setup();
  });
  afterAll(async () => {
    await real?.close();
  });
  beforeEach(() => {
    real?.emu.faults.clear();
  });
  return new Proxy({} as Env, {
    get(_target, property) {
      if (!real) throw new Error('The transfer test environment is used before it started');
      return Reflect.get(real, property);
    },
  });
}

/** Bytes that differ everywhere, so a single flipped byte or a misplaced part is always caught. */
export function data(size: number): Buffer {
  return randomBytes(size);
}

export async function readAll(store: ObjectStore, bucket: string, key: string): Promise<Buffer> {
  const { body } = await store.get(bucket, key);
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Operations the emulator saw for one key, in order; only requests that arrived at or after `since` (ms). */
export function opsFor(emu: Emulator, key: string, since = 0): string[] {
  return emu
    .requests()
    .filter((r) => r.key === key && r.time >= since)
    .map((r) => r.op);
}

/** The CLI's environment for this emulator: both clouds' keys, and a state folder of its own. */
export function cliEnv(env: Env): NodeJS.ProcessEnv {
  const c = env.connection('cos').credentials;
  const o = env.connection('oss').credentials;
  return {
    COS_SECRET_ID: c.accessKeyId,
    COS_SECRET_KEY: c.secretAccessKey,
    OSS_ACCESS_KEY_ID: o.accessKeyId,
    OSS_ACCESS_KEY_SECRET: o.secretAccessKey,
    BUCKET_INTEGRITY_STATE_DIR: `${env.dir}/state`,
  };
}
