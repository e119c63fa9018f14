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
  const oss = new OSS({ endpoint: emu.endpoint, accessKeyId: emu.oss.accessKeyId, accessKeySecret: emu.oss.accessKeySecret, region: emu.oss.region, bucket } as OSS.Options);
  try {
    const r = await oss.head(key);
    const h = r.res.headers as Record<string, string>;
    return { size: Number(h['content-length']), crc64: h['x-oss-hash-crc64ecma'] };
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}
