import { createHash, randomBytes } from 'node:crypto';
import type { ProviderKind } from '../../src/storage/types';
import { cosCall, cosClient, ossClient, type Emulator } from './emulator';

/**
 * Objects as real buckets hold them, written through the vendors' own SDKs: in a storage class, with
 * server-side encryption, or with a customer key (SSE-C). The product's own writes never set these.
 */

export interface ObjectState {
  /** The service's spelling: COS `ARCHIVE`, OSS `Archive`… */
  storageClass?: string;
  /** `AES256`, `KMS`, `cos/kms`… */
  sse?: string;
  /** SSE-C customer key, base64 of 32 bytes. */
  customerKey?: string;
}

/** A fresh SSE-C customer key (base64). */
export function newCustomerKey(): string {
  return randomBytes(32).toString('base64');
}

function keyHeaders(prefix: string, key: string): Record<string, string> {
  return {
    [`${prefix}server-side-encryption-customer-algorithm`]: 'AES256',
    [`${prefix}server-side-encryption-customer-key`]: key,
    [`${prefix}server-side-encryption-customer-key-MD5`]: createHash('md5').update(Buffer.from(key, 'base64')).digest('base64'),
  };
}

/** The headers of a write in `state`, for `provider`. */
export function stateHeaders(provider: ProviderKind, state: ObjectState): Record<string, string> {
  const p = `x-${provider}-`;
  return {
    ...(state.storageClass ? { [`${p}storage-class`]: state.storageClass } : {}),
    ...(state.sse ? { [`${p}server-side-encryption`]: state.sse } : {}),
    ...(state.customerKey ? keyHeaders(p, state.customerKey) : {}),
  };
}

export async function putWithState(
  emu: Emulator,
  provider: ProviderKind,
  bucket: string,
  key: string,
  body: Buffer | string,
  state: ObjectState,
): Promise<void> {
  const headers = stateHeaders(provider, state);
  if (provider === 'cos') {
    const cos = cosClient(emu);
    await cosCall(cos.putObject.bind(cos), { Bucket: bucket, Region: emu.cos.region, Key: key, Body: body, Headers: headers });
  } else {
    await ossClient(emu, bucket).put(key, Buffer.from(body), { headers });
  }
}

/**
 * Moves a COS INTELLIGENT_TIERING object to a tier (`FREQUENT`, `INFREQUENT`, `ARCHIVE`, `DEEP_ARCHIVE`),
 * as the service does after days without access: the emulator's control API.
 */
export async function setStorageTier(emu: Emulator, bucket: string, key: string, tier: string): Promise<void> {
  const q = new URLSearchParams({ dialect: 'cos', bucket, key, tier });
  const res = await fetch(`${emu.endpoint}/_emulator/storage-tier?${q.toString()}`, { method: 'POST' });
  if (!res.ok) throw new Error(`storage-tier: ${res.status} ${await res.text()}`);
}
