import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type OSS from 'ali-oss';
import { cosCall } from '../../support/emulator';
import { sdkSuite } from './sdkSuite';

/**
 * Copy-source conditions through the raw SDKs: each condition that holds copies, each that fails is
 * answered as the service documents (COS 412 for all four; OSS 412 for If-Match / If-Unmodified-Since,
 * 304 for If-None-Match / If-Modified-Since) and writes nothing. The answer is read from the request log,
 * since ali-oss takes a 304 to a copy as success.
 */

const suite = sdkSuite('cond');

beforeEach(() => suite.emu.clearRequests());

type Condition = 'If-Match' | 'If-None-Match' | 'If-Modified-Since' | 'If-Unmodified-Since';
const HOUR = 3600_000;

/** A dialect as these tests drive it: put a source, copy it (or a part of it) under one condition, look a key up. */
interface Client {
  put(key: string, body: string): Promise<{ etag: string }>;
  copy(src: string, dst: string, condition: Condition, value: string): Promise<void>;
  partCopy(src: string, dst: string, condition: Condition, value: string): Promise<{ parts: number }>;
  exists(key: string): Promise<boolean>;
}

const ignore = (p: Promise<unknown>): Promise<void> =>
  p.then(
    () => undefined,
    () => undefined,
  );

function cosDriver(): Client {
  const { emu, cos, cosBucket } = suite;
  const p = () => ({ Bucket: cosBucket, Region: emu.cos.region });
  const source = (key: string) => `${cosBucket}.cos.${emu.cos.region}.myqcloud.com/${key}`;
  const param = (c: Condition) => `CopySource${c.replace(/-/g, '')}`;
  const call = (fn: unknown, params: object) => cosCall(fn as never, params as never) as Promise<Record<string, unknown>>;
  return {
    put: async (key, body) => ({ etag: (await call(cos.putObject.bind(cos), { ...p(), Key: key, Body: body })).ETag as string }),
    copy: (src, dst, c, v) => ignore(call(cos.putObjectCopy.bind(cos), { ...p(), Key: dst, CopySource: source(src), [param(c)]: v })),
    async partCopy(src, dst, c, v) {
      const { UploadId } = await call(cos.multipartInit.bind(cos), { ...p(), Key: dst });
      await ignore(
        call(cos.uploadPartCopy.bind(cos), {
          ...p(),
          Key: dst,
          UploadId,
          PartNumber: 1,
          CopySource: source(src),
          CopySourceRange: 'bytes=0-3',
          [param(c)]: v,
        }),
      );
      const listed = await call(cos.multipartListPart.bind(cos), { ...p(), Key: dst, UploadId });
      await call(cos.multipartAbort.bind(cos), { ...p(), Key: dst, UploadId });
      return { parts: (listed.Part as unknown[]).length };
    },
    exists: (key) =>
      call(cos.headObject.bind(cos), { ...p(), Key: key }).then(
        () => true,
        () => false,
      ),
  };
}

function ossDriver(): Client {
  const { oss, ossBucket } = suite;
  const headers = (c: Condition, v: string) => ({ [`x-oss-copy-source-${c.toLowerCase()}`]: v });
  return {
    put: async (key, body) => ({ etag: ((await oss.put(key, Buffer.from(body))).res.headers as Record<string, string>).etag }),
    copy: (src, dst, c, v) => ignore(oss.copy(dst, src, { headers: headers(c, v) })),
    async partCopy(src, dst, c, v) {
      const { uploadId } = await oss.initMultipartUpload(dst);
      await ignore(
        oss.uploadPartCopy(dst, uploadId, 1, '0-3', { sourceKey: src, sourceBucketName: ossBucket }, { headers: headers(c, v) }),
      );
      const listed = await oss.listParts(dst, uploadId, {} as OSS.ListPartsQuery, {});
      await oss.abortMultipartUpload(dst, uploadId);
      // ali-oss gives a single part as an object, not a list.
      return { parts: [listed.parts ?? []].flat().length };
    },
    exists: (key) =>
      oss.head(key).then(
        () => true,
        () => false,
      ),
  };
}

describe.each([
  { dialect: 'cos', driver: cosDriver, notModified: 412 },
  { dialect: 'oss', driver: ossDriver, notModified: 304 },
] as const)('$dialect copy-source conditions', ({ driver, notModified }) => {
  let client: Client;
  let etag: string;
  let n = 0;
  const answered = (op: string) =>
    suite.emu
      .requests()
      .filter((r) => r.op === op)
      .map((r) => ({ status: r.status, code: r.code }));

  beforeAll(async () => {
    client = driver();
    ({ etag } = await client.put('src.txt', 'source bytes'));
  });

  const later = (): string => new Date(Date.now() + HOUR).toUTCString();
  const earlier = (): string => new Date(Date.now() - HOUR).toUTCString();

  it.each([
    ['If-Match', (): string => etag],
    ['If-None-Match', (): string => '"0123456789abcdef0123456789abcdef"'],
    ['If-Modified-Since', earlier],
    ['If-Unmodified-Since', later],
  ] as const)('a copy whose %s holds is made', async (condition, value) => {
    const dst = `ok-${n++}.txt`;
    await client.copy('src.txt', dst, condition, value());
    expect(answered('CopyObject')).toEqual([{ status: 200, code: undefined }]);
    expect(await client.exists(dst)).toBe(true);
  });

  it.each([
    ['If-Match', (): string => '"0123456789abcdef0123456789abcdef"', 412],
    ['If-Unmodified-Since', earlier, 412],
    ['If-None-Match', (): string => etag, notModified],
    ['If-Modified-Since', later, notModified],
  ] as const)('a copy whose %s fails is refused and writes nothing', async (condition, value, status) => {
    const dst = `refused-${n++}.txt`;
    await client.copy('src.txt', dst, condition, value());
    expect(answered('CopyObject')).toEqual([{ status, code: status === 412 ? 'PreconditionFailed' : 'NotModified' }]);
    expect(await client.exists(dst)).toBe(false);
  });

  it('a part copy whose If-None-Match fails stores no part; one whose If-Match holds stores it', async () => {
    expect(await client.partCopy('src.txt', 'parts.bin', 'If-None-Match', etag)).toEqual({ parts: 0 });
    expect(answered('UploadPartCopy')).toEqual([{ status: notModified, code: notModified === 412 ? 'PreconditionFailed' : 'NotModified' }]);
    expect(await client.partCopy('src.txt', 'parts.bin', 'If-Match', etag)).toEqual({ parts: 1 });
  });
});
