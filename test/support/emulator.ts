import COS from 'cos-nodejs-sdk-v5';
import OSS from 'ali-oss';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import type { ConnectionOptions, ProviderKind } from '../../src/storage/types';

/**
 * Test helpers around the local emulator: start one, and build the real SDK clients with exactly the
 * options that reach it. The storage adapters use the same options when `ConnectionOptions.endpoint` is
 * set: COS `{ Protocol, Ip: host:port, AutoSwitchHost: false }`, OSS `{ endpoint }`.
 */

export type { Emulator };

export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator(options);
}

export interface CosKeys {
  SecretId: string;
  SecretKey: string;
  SecurityToken?: string;
}

/** COS client options for the emulator: bucket in the Host header, requests sent to 127.0.0.1:PORT. */
export function cosClientOptions(emu: Emulator, keys?: CosKeys): COS.COSOptions {
  const url = new URL(emu.endpoint);
  return {
    SecretId: keys?.SecretId ?? emu.cos.secretId,
    SecretKey: keys?.SecretKey ?? emu.cos.secretKey,
    SecurityToken: keys?.SecurityToken,
    Protocol: 'http:',
    Ip: url.host,
    AutoSwitchHost: false,
    // sliceUploadFile does not retry failed parts, so tests see each injected fault (plain calls still
    // retry 5xx answers three times inside the SDK).
    ChunkRetryTimes: 0,
  } as COS.COSOptions;
}

export function cosClient(emu: Emulator, keys?: CosKeys): COS {
  return new COS(cosClientOptions(emu, keys));
}

export interface OssKeys {
  accessKeyId: string;
  accessKeySecret: string;
  stsToken?: string;
}

/** OSS client options for the emulator (the SDK rewrites Host to `<bucket>.<region>.aliyuncs.com`). */
export function ossClientOptions(
  emu: Emulator,
  bucket?: string,
  extra: Partial<OSS.Options> & { authorizationV4?: boolean } = {},
  keys?: OssKeys,
): OSS.Options {
  return {
    endpoint: emu.endpoint,
    accessKeyId: keys?.accessKeyId ?? emu.oss.accessKeyId,
    accessKeySecret: keys?.accessKeySecret ?? emu.oss.accessKeySecret,
    stsToken: keys?.stsToken,
    region: emu.oss.region,
    bucket,
    ...extra,
  } as OSS.Options;
}

export function ossClient(
  emu: Emulator,
  bucket?: string,
  extra: Partial<OSS.Options> & { authorizationV4?: boolean } = {},
  keys?: OssKeys,
): OSS {
  return new OSS(ossClientOptions(emu, bucket, extra, keys));
}

let counter = 0;

/** A fresh COS bucket name (`name-<appId>`), created on the emulator. */
export async function makeCosBucket(emu: Emulator, base = 'test'): Promise<string> {
  const name = `${base}${++counter}-${emu.cos.appId}`;
  await emu.createBucket('cos', name);
  return name;
}

/** A fresh OSS bucket name, created on the emulator. */
export async function makeOssBucket(emu: Emulator, base = 'test'): Promise<string> {
  const name = `${base}${++counter}-oss`;
  await emu.createBucket('oss', name);
  return name;
}

/** Call a COS SDK method as a promise. */
export function cosCall<P, R = Record<string, unknown> & { headers?: Record<string, string>; statusCode?: number }>(
  fn: (params: P, cb: (err: unknown, data: R) => void) => void,
  params: P,
): Promise<R> {
  return new Promise((resolve, reject) => fn(params, (err, data) => (err ? reject(err) : resolve(data))));
}

/**
 * `ConnectionOptions` for the project's ObjectStore (`createObjectStore`) against the emulator, with its main
 * account's keys unless others are given.
 */
export function connectionOptions(emu: Emulator, provider: ProviderKind, extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    provider,
    region: provider === 'cos' ? emu.cos.region : emu.oss.region,
    endpoint: emu.endpoint,
    credentials:
      provider === 'cos'
        ? { accessKeyId: emu.cos.secretId, secretAccessKey: emu.cos.secretKey }
        : { accessKeyId: emu.oss.accessKeyId, secretAccessKey: emu.oss.accessKeySecret },
    ...extra,
  };
}
