import COS from 'cos-nodejs-sdk-v5';
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
  const oss = new OSS({
    endpoint: emu.endpoint,
    accessKeyId: emu.oss.accessKeyId,
    accessKeySecret: emu.oss.accessKeySecret,
    region: emu.oss.region,
    bucket,
  } as OSS.Options);
  try {
    const r = await oss.head(key);
    const h = r.res.headers as Record<string, string>;
    return { size: Number(h['content-length']), crc64: h['x-oss-hash-crc64ecma'] };
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

function cosOf(emu: Emu): COS {
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
