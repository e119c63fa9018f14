import COS from 'cos-nodejs-sdk-v5';
import * as http from 'node:http';
import OSS from 'ali-oss';
import type { E2eContext } from './context';

/**
 * Looks at the emulator from the outside, through the real SDKs, to check what the extension did:
 * `head` gives an object's size and the CRC-64 the service stored with it.
 */
export interface RemoteHead {
  size: number;
  crc64?: string;
}

type Emu = NonNullable<E2eContext['emulator']>;

export async function headObject(emu: Emu, provider: 'cos' | 'oss', bucket: string, key: string): Promise<RemoteHead | undefined> {
  if (provider === 'cos') {
    const cos = new COS({
      SecretId: emu.cos.secretId,
      SecretKey: emu.cos.secretKey,
      Protocol: 'http:',
      Ip: new URL(emu.endpoint).host,
      AutoSwitchHost: false,
    } as COS.COSOptions);
    return new Promise((resolve, reject) =>
      cos.headObject({ Bucket: bucket, Region: emu.cos.region, Key: key }, (err, data) => {
        if (err) return err.statusCode === 404 ? resolve(undefined) : reject(err);
        const h = data.headers as Record<string, string>;
        resolve({ size: Number(h['content-length']), crc64: h['x-cos-hash-crc64ecma'] });
      }),
    );
  }
  const oss = ossOf(emu, bucket);
  try {
    const r = await oss.head(key);
    const h = r.res.headers as Record<string, string>;
    return { size: Number(h['content-length']), crc64: h['x-oss-hash-crc64ecma'] };
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

/** A COS SDK client of the emulator. */
export function cosOf(emu: Emu): COS {
  return new COS({
    SecretId: emu.cos.secretId,
    SecretKey: emu.cos.secretKey,
    Protocol: 'http:',
    Ip: new URL(emu.endpoint).host,
    AutoSwitchHost: false,
  } as COS.COSOptions);
}

/** Stores an object in a COS bucket of the emulator, through the COS SDK (a witness outside the extension). */
export function putCosObject(
  emu: Emu,
  bucket: string,
  key: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve, reject) =>
    cosOf(emu).putObject({ Bucket: bucket, Region: emu.cos.region, Key: key, Body: body, Headers: headers }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

/** The COS buckets the emulator's main account lists. */
export function listCosBuckets(emu: Emu): Promise<string[]> {
  return new Promise((resolve, reject) =>
    cosOf(emu).getService({}, (err, data) => (err ? reject(err) : resolve(data.Buckets.map((b) => b.Name)))),
  );
}

/** The keys of a COS bucket below a prefix (first 1,000). */
export function listCosKeys(emu: Emu, bucket: string, prefix: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    cosOf(emu).getBucket({ Bucket: bucket, Region: emu.cos.region, Prefix: prefix }, (err, data) =>
      err ? reject(err) : resolve(data.Contents.map((c) => c.Key)),
    ),
  );
}

/** Stores an object through the provider's own SDK, with headers such as `x-oss-storage-class`. */
export async function putObject(
  emu: Emu,
  provider: 'cos' | 'oss',
  bucket: string,
  key: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<void> {
  if (provider === 'cos') return putCosObject(emu, bucket, key, body, headers);
  const oss = ossOf(emu, bucket);
  await oss.put(key, Buffer.from(body), { headers });
}

/** How long the emulator's restores take and how long their days last (its control API); resolves to the timing before. */
export async function setRestoreTiming(
  emu: Emu,
  timing: { delayMs?: number; dayMs?: number },
): Promise<{ delayMs: number; dayMs: number }> {
  const post = (body: object) =>
    fetch(`${emu.endpoint}/_emulator/restore-timing`, { method: 'POST', body: JSON.stringify(body) }).then(
      (r) => r.json() as Promise<{ delayMs: number; dayMs: number }>,
    );
  const before = await post({});
  await post(timing);
  return before;
}

/**
 * An OSS SDK client of the emulator. Its own HTTP agent: in the extension host the default one is
 * wrapped by the editor's proxy support, whose sockets urllib cannot set a timeout on.
 */
function ossOf(emu: Emu, bucket: string): OSS {
  return new OSS({
    endpoint: emu.endpoint,
    accessKeyId: emu.oss.accessKeyId,
    accessKeySecret: emu.oss.accessKeySecret,
    region: emu.oss.region,
    bucket,
    agent: new http.Agent(),
  } as OSS.Options);
}
