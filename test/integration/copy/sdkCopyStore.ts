import type { ObjectStore, PutResult, UploadedPart } from '../../../src/storage/types';
import type { ObjectRef, PartCopySource, ServerCopyStore } from '../../../src/transfer/copy/types';
import { cosCall, cosClient, ossClient, type Emulator } from '../../support/emulator';

/**
 * The copy requests over the real SDKs, for the copy core's tests until the object store adapters
 * carry `copyObject` / `uploadPartCopy` themselves: PUT Object - Copy and Upload Part - Copy (COS),
 * CopyObject and UploadPartCopy (OSS), with the CRC-64 each answer carries.
 */
export function withSdkCopy(emu: Emulator, store: ObjectStore): ServerCopyStore {
  const copy = store.provider === 'cos' ? cosCopy(emu) : ossCopy(emu);
  return {
    provider: store.provider,
    head: (b, k, o) => store.head(b, k, o),
    deleteObject: (b, k, o) => store.deleteObject(b, k, o),
    createMultipartUpload: (b, k, o) => store.createMultipartUpload(b, k, o),
    abortMultipartUpload: (b, k, u, o) => store.abortMultipartUpload(b, k, u, o),
    completeMultipartUpload: (b, k, u, p, o) => store.completeMultipartUpload(b, k, u, p, o),
    ...copy,
  };
}

type CopyCalls = Pick<ServerCopyStore, 'copyObject' | 'uploadPartCopy'>;

function cosCopy(emu: Emulator): CopyCalls {
  const cos = cosClient(emu);
  const region = emu.cos.region;
  const sourceOf = (s: ObjectRef) => `${s.bucket}.cos.${region}.myqcloud.com/${encodeURIComponent(s.key).replace(/%2F/g, '/')}`;
  type Answer = { headers?: Record<string, string>; ETag?: string };
  return {
    async copyObject(srcBucket, srcKey, dstBucket, dstKey, options): Promise<PutResult> {
      const source = { bucket: srcBucket, key: srcKey };
      const target = { bucket: dstBucket, key: dstKey };
      const res = await cosCall<Record<string, unknown>, Answer>(cos.putObjectCopy.bind(cos) as never, {
        Bucket: target.bucket, Region: region, Key: target.key, CopySource: sourceOf(source),
        ...(options?.ifMatch ? { CopySourceIfMatch: options.ifMatch } : {}),
      });
      return { etag: res.ETag, crc64: res.headers?.['x-cos-hash-crc64ecma'] };
    },
    async uploadPartCopy(bucket, key, uploadId, partNumber, part: PartCopySource): Promise<UploadedPart> {
      const source = { bucket: part.srcBucket, key: part.srcKey, range: part.range, ifMatch: part.ifMatch };
      const target = { bucket, key };
      const res = await cosCall<Record<string, unknown>, Answer>(cos.uploadPartCopy.bind(cos) as never, {
        Bucket: target.bucket, Region: region, Key: target.key, CopySource: sourceOf(source), UploadId: uploadId, PartNumber: partNumber,
        CopySourceRange: `bytes=${source.range.start}-${source.range.end}`,
        ...(source.ifMatch ? { CopySourceIfMatch: source.ifMatch } : {}),
      });
      return { partNumber, etag: res.ETag ?? '', crc64: res.headers?.['x-cos-hash-crc64ecma'] };
    },
  };
}

function ossCopy(emu: Emulator): CopyCalls {
  type Answer = { etag?: string; res: { headers: Record<string, string> } };
  return {
    async copyObject(srcBucket, srcKey, dstBucket, dstKey, options): Promise<PutResult> {
      const source = { bucket: srcBucket, key: srcKey };
      const target = { bucket: dstBucket, key: dstKey };
      const oss = ossClient(emu, target.bucket);
      const headers = options?.ifMatch ? { 'x-oss-copy-source-if-match': options.ifMatch } : {};
      const res = (await oss.copy(target.key, source.key, source.bucket, { headers })) as unknown as Answer;
      return { etag: res.res.headers.etag, crc64: res.res.headers['x-oss-hash-crc64ecma'] };
    },
    async uploadPartCopy(bucket, key, uploadId, partNumber, part): Promise<UploadedPart> {
      const source = { bucket: part.srcBucket, key: part.srcKey, range: part.range, ifMatch: part.ifMatch };
      const target = { bucket, key };
      const oss = ossClient(emu, target.bucket);
      const headers = source.ifMatch ? { 'x-oss-copy-source-if-match': source.ifMatch } : {};
      const res = (await oss.uploadPartCopy(target.key, uploadId, partNumber, `${source.range.start}-${source.range.end}`, { sourceKey: source.key, sourceBucketName: source.bucket }, { headers })) as unknown as Answer;
      return { partNumber, etag: res.etag ?? '', crc64: res.res.headers['x-oss-hash-crc64ecma'] };
    },
  };
}
