import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { InventoryField, ObjectStore, ProviderKind } from '../../../src/storage/types';
import { makeCosBucket, makeOssBucket, type Emulator } from '../../support/emulator';

/** Buckets, inventories (configured through the SDKs, written by the emulator) and the CLI, for the audit's tests. */

export const CRC_FIELDS: InventoryField[] = ['Size', 'LastModified', 'ETag', 'StorageClass', 'Crc64'];

export function makeBucket(emu: Emulator, provider: ProviderKind, base: string): Promise<string> {
  return provider === 'cos' ? makeCosBucket(emu, base) : makeOssBucket(emu, base);
}

export interface InventoryOptions {
  prefix?: string;
  withCrc?: boolean;
  dest?: string;
}

/** An inventory `id` of `bucket` (below `prefix`), its reports under `inv/` in `dest` (default: the bucket itself), run once now. */
export async function inventoryNow(
  emu: Emulator,
  store: ObjectStore,
  provider: ProviderKind,
  bucket: string,
  id: string,
  options: InventoryOptions = {},
): Promise<void> {
  await configureInventory(emu, store, provider, bucket, id, options);
  await emu.runInventory(provider, bucket, id);
}

/** The configuration `inventoryNow` runs, without running it (for reports written by hand or run with options). */
export async function configureInventory(
  emu: Emulator,
  store: ObjectStore,
  provider: ProviderKind,
  bucket: string,
  id: string,
  options: InventoryOptions = {},
): Promise<void> {
  const fields = options.withCrc === false ? CRC_FIELDS.filter((f) => f !== 'Crc64') : CRC_FIELDS;
  await store.putInventory(bucket, {
    id,
    enabled: true,
    destination: {
      bucket: options.dest ?? bucket,
      prefix: 'inv',
      accountId: provider === 'cos' ? emu.cos.appId : emu.accountId,
      ...(provider === 'oss' ? { roleName: 'AliyunOSSRole' } : {}),
    },
    format: 'CSV',
    frequency: 'Daily',
    fields,
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `bucket-integrity verify …` in this process (the emulator answers from the same event loop), with the
 * emulator's main keys in the environment and `extraEnv` over them.
 */
export async function cli(
  emu: Emulator,
  dir: string,
  args: string[],
  signal?: AbortSignal,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const env = {
    COS_SECRET_ID: emu.cos.secretId,
    COS_SECRET_KEY: emu.cos.secretKey,
    OSS_ACCESS_KEY_ID: emu.oss.accessKeyId,
    OSS_ACCESS_KEY_SECRET: emu.oss.accessKeySecret,
    ...extraEnv,
  };
  const code = await runCli(['verify', '--endpoint', emu.endpoint, '--state-dir', join(dir, 'state'), ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    cwd: dir,
    ...(signal ? { signal } : {}),
  });
  return { code, stdout, stderr };
}

/** The `--region` flags of a pair: each side's own. */
export function regions(emu: Emulator, a: ProviderKind, b: ProviderKind): string[] {
  const of = (p: ProviderKind) => (p === 'cos' ? emu.cos.region : emu.oss.region);
  return ['--region', of(a), '--region2', of(b)];
}
