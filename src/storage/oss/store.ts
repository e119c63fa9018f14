import * as l10n from '@vscode/l10n';
import { Readable } from 'node:stream';
import { CancelledError } from '../../util/errors';
import { StorageError, truncatedBody } from '../errors';
import { guardedBody } from '../shared/body';
import { CallRunner, RawError } from '../shared/call';
import { describe } from '../shared/connection';
import { header, infoFromHeaders, pageDates, parseDate } from '../shared/headers';
import { DelegatingStore, listAllParts, type WirePart } from '../shared/delegatingStore';
import { parseListXml } from '../shared/listXml';
import { bucketNameProblem } from '../bucketNames';
import type {
  AppendResult,
  DeleteObjectsResult,
  BucketInfo,
  CompleteResult,
  ConnectionOptions,
  GetOptions,
  GetResult,
  ListOptions,
  ListPage,
  ObjectInfo,
  ObjectStore,
  PutResult,
  RequestOptions,
  UploadedPart,
  VersionOptions,
} from '../types';
import type { Appendable, ObjectMetaReader, Restorable, SymlinkReader, VersionLister } from '../capabilities';
import type { VersionPage, VersionPageOptions, VersioningStatus } from '../versions';
import * as versions from './versions';
import { readSymlink, resolveListedSymlinks } from './symlinks';
import { customerKeyHeaders, type RestoreOutcome, type RestoreRequest } from '../objectState';
import { restoreObject } from './restore';
import * as append from './append';
import { CLASS_HEADER, CRC_HEADER, etagAndCrc } from './answer';
import * as copy from './copy';
import * as inventory from './inventory';
import { OssClients, type OssCall, type OssCallFn } from './client';
import { rawFromSdkError, type OssTransport } from './errors';
import { ossObjectUrl, ossPresignedUrl } from './urls';

/** Alibaba Cloud OSS over `ali-oss` (client set-up: see `client.ts`). */

export type { OssCall } from './client';

/** OSS has no one-time inventory (reports come on the configured schedule only): no `InventoryRunner`. */
export class OssStore
  extends DelegatingStore<OssCall>
  implements ObjectStore, Appendable, ObjectMetaReader, Restorable, VersionLister, SymlinkReader
{
  readonly provider = 'oss' as const;
  private readonly clients: OssClients;
  private readonly runner: CallRunner;
  private readonly sdk: OssCall;

  constructor(private readonly options: ConnectionOptions) {
    super(copy, inventory);
    this.sdk = Object.assign(this.call, { customerKey: options.customerKey });
    this.clients = new OssClients(options);
    this.runner = new CallRunner({
      provider: 'oss',
      connection: options,
      rawOf: (err) => rawFromSdkError(err),
      probeBucket: (bucket, signal) => this.list(bucket, { pageSize: 1, signal }),
    });
  }

  async listBuckets(options: RequestOptions = {}): Promise<BucketInfo[]> {
    const ctx = { operation: l10n.t('list the buckets') };
    const out: BucketInfo[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.sdk(ctx, undefined, options.signal, (c) =>
        c.listBuckets({ 'max-keys': 1000, ...(marker ? { marker } : {}) }, {}),
      );
      for (const b of (page.buckets ?? []) as Array<{ name: string; region?: string; creationDate?: string }>) {
        out.push({ name: b.name, region: b.region, creationDate: parseDate(b.creationDate) });
      }
      const next = page.nextMarker as string | null | undefined;
      if (!page.isTruncated || !next || next === marker) break;
      marker = next;
    }
    return out;
  }

  async list(bucket: string, options: ListOptions = {}): Promise<ListPage> {
    const ctx = { operation: l10n.t('list {0}', describe('oss', bucket, options.prefix)), bucket };
    const query: Record<string, string | number> = { 'max-keys': options.pageSize ?? 1000 };
    if (options.prefix) query.prefix = options.prefix;
    if (options.delimiter) query.delimiter = options.delimiter;
    if (!options.pageToken && options.startAfter) query['start-after'] = options.startAfter;
    // The SDK sends ListObjectsV2 as its listV2 does (the token a signed sub-resource); the answer is read
    // by parseListXml (see there why).
    const page = await this.sdk(ctx, bucket, options.signal, async (c) => {
      const params = c._objectRequestParams('GET', '', options.pageToken ? { subres: { 'continuation-token': options.pageToken } } : {});
      const res = await c.request({ ...params, query: { 'list-type': 2, ...query }, successStatuses: [200] });
      return parseListXml(Buffer.isBuffer(res.data) ? res.data : String(res.data));
    });
    const dateOf = pageDates();
    const listed: ObjectInfo[] = page.objects.map((o) => {
      const info: ObjectInfo = {
        key: o.key,
        size: o.size,
        lastModified: dateOf(o.lastModified),
        etag: o.etag,
        storageClass: o.storageClass ?? 'Standard',
      };
      if (o.type) info.objectType = o.type;
      return info;
    });
    const out: ListPage = {
      objects: await resolveListedSymlinks(listed, (key) => this.head(bucket, key, { signal: options.signal })),
      prefixes: page.prefixes,
    };
    if (page.truncated && page.nextContinuationToken) out.nextPageToken = page.nextContinuationToken;
    return out;
  }

  async head(bucket: string, key: string, options: RequestOptions & VersionOptions = {}): Promise<ObjectInfo> {
    const ctx = {
      operation: l10n.t('HEAD {0}', describe('oss', bucket, key, options.versionId)),
      bucket,
      objectLevel: true,
      readsObject: true,
    };
    const version = options.versionId ? { versionId: options.versionId } : {};
    const res = await this.sdk(ctx, bucket, options.signal, (c) => c.head(key, { headers: this.customerKeyHeaders(), ...version }));
    return infoFromHeaders(key, res.res.headers, CRC_HEADER, CLASS_HEADER);
  }

  async get(bucket: string, key: string, options: GetOptions = {}): Promise<GetResult> {
    const ctx = {
      operation: l10n.t('GET {0}', describe('oss', bucket, key, options.versionId)),
      bucket,
      objectLevel: true,
      readsObject: true,
    };
    const headers: Record<string, string> = this.customerKeyHeaders();
    if (options.range) headers.Range = `bytes=${options.range.start}-${options.range.end}`;
    const signal = options.signal;
    // ali-oss's getStream leaves `versionId` out of the request: it goes in as a sub-resource.
    const version = options.versionId ? { subres: { versionId: options.versionId } } : {};
    const { stream, res } = await this.sdk(ctx, bucket, signal, (c) => c.getStream(key, { headers, ...version }));
    if (signal?.aborted) {
      stream.destroy();
      throw new CancelledError();
    }
    const length = Number(header(res.headers, 'content-length'));
    const body = guardedBody(stream, {
      expectedLength: Number.isFinite(length) ? length : undefined,
      idleTimeoutMs: this.runner.timeoutMs,
      signal,
      mapError: (err) => this.runner.errorOf(err, ctx),
      timeoutError: () => this.runner.fail({ timedOut: true }, ctx),
      truncatedError: (received, expected) => truncatedBody(received, expected, ctx.operation),
      release: () => stream.destroy(),
    });
    return { info: infoFromHeaders(key, res.headers, CRC_HEADER, CLASS_HEADER), body };
  }

  async put(bucket: string, key: string, body: Buffer, options: RequestOptions = {}): Promise<PutResult> {
    const ctx = { operation: l10n.t('PUT {0}', describe('oss', bucket, key)), bucket };
    const res = await this.sdk(ctx, bucket, options.signal, (c) =>
      c.put(key, body, { mime: 'application/octet-stream', headers: this.customerKeyHeaders() }),
    );
    return etagAndCrc(res.res);
  }

  async deleteObject(bucket: string, key: string, options: RequestOptions = {}): Promise<void> {
    const ctx = { operation: l10n.t('delete {0}', describe('oss', bucket, key)), bucket };
    await this.sdk(ctx, bucket, options.signal, (c) => c.delete(key, {}));
  }

  async deleteObjects(bucket: string, keys: readonly string[], options: RequestOptions = {}): Promise<DeleteObjectsResult> {
    if (keys.length === 0) return { deleted: [], failed: [] };
    const ctx = { operation: l10n.t('delete {0} object(s) of {1}', keys.length, describe('oss', bucket)), bucket };
    const res = await this.sdk(ctx, bucket, options.signal, (c) => c.deleteMulti([...keys], { quiet: false }));
    // OSS lists what it deleted and fails the whole request otherwise; a key it left out was not deleted.
    const deleted = ((res.deleted ?? []) as Array<{ Key: string }>).map((d) => d.Key);
    const done = new Set(deleted);
    return {
      deleted,
      failed: keys.filter((k) => !done.has(k)).map((key) => ({ key, message: 'not in the answer of DeleteMultipleObjects' })),
    };
  }

  async createBucket(bucket: string, options: RequestOptions = {}): Promise<void> {
    const problem = bucketNameProblem('oss', bucket);
    if (problem) throw new StorageError('invalid-request', problem, l10n.t('Pick another bucket name.'));
    const ctx = { operation: l10n.t('create {0}', describe('oss', bucket)), bucket };
    await this.sdk(ctx, undefined, options.signal, (c) => c.putBucket(bucket, {}));
  }

  objectUrl(bucket: string, key: string): string {
    return ossObjectUrl(this.options, bucket, key);
  }

  presignedUrl(bucket: string, key: string, expiresSeconds: number): string {
    return ossPresignedUrl(this.options, bucket, key, expiresSeconds);
  }

  async createMultipartUpload(bucket: string, key: string, options: RequestOptions = {}): Promise<{ uploadId: string }> {
    const ctx = { operation: l10n.t('start a multipart upload of {0}', describe('oss', bucket, key)), bucket };
    const res = await this.sdk(ctx, bucket, options.signal, (c) =>
      c.initMultipartUpload(key, { mime: 'application/octet-stream', headers: this.customerKeyHeaders() }),
    );
    if (typeof res.uploadId !== 'string' || !res.uploadId) throw this.runner.fail({ malformed: true }, ctx);
    return { uploadId: res.uploadId };
  }

  async uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    options: RequestOptions = {},
  ): Promise<UploadedPart> {
    const ctx = { operation: l10n.t('upload part {0} of {1}', partNumber, describe('oss', bucket, key)), bucket };
    const res = await this.sdk(ctx, bucket, options.signal, (c) =>
      // A fresh stream per attempt: a stream body is sent once and never replayed.
      c._uploadPart(
        key,
        uploadId,
        partNumber,
        { size: body.length, stream: Readable.from([body], { objectMode: false }) },
        { headers: this.customerKeyHeaders() },
      ),
    );
    const { etag, crc64 } = etagAndCrc(res.res, res.etag);
    if (!etag) throw this.runner.fail({ malformed: true }, ctx);
    return { partNumber, etag, crc64, size: body.length };
  }

  listParts(bucket: string, key: string, uploadId: string, options: RequestOptions = {}): Promise<UploadedPart[]> {
    const ctx = { operation: l10n.t('list the parts of {0}', describe('oss', bucket, key)), bucket };
    return listAllParts(async (marker) => {
      const query = { 'max-parts': 1000, ...(marker ? { 'part-number-marker': marker } : {}) };
      const page = await this.sdk(ctx, bucket, options.signal, (c) => c.listParts(key, uploadId, query, {}));
      return {
        // One part comes back as an object, not a list.
        parts: (Array.isArray(page.parts) ? page.parts : page.parts ? [page.parts] : []) as WirePart[],
        truncated: page.isTruncated === true || page.isTruncated === 'true',
        next: page.nextPartNumberMarker as string | undefined,
      };
    });
  }

  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: ReadonlyArray<{ partNumber: number; etag: string }>,
    options: RequestOptions = {},
  ): Promise<CompleteResult> {
    const ctx = { operation: l10n.t('complete the multipart upload of {0}', describe('oss', bucket, key)), bucket };
    const list = parts.map((p) => ({ number: p.partNumber, etag: p.etag }));
    const res = await this.sdk(ctx, bucket, options.signal, (c) => c.completeMultipartUpload(key, uploadId, list, {}));
    return etagAndCrc(res.res, res.etag);
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string, options: RequestOptions = {}): Promise<void> {
    const ctx = { operation: l10n.t('abort the multipart upload of {0}', describe('oss', bucket, key)), bucket };
    await this.sdk(ctx, bucket, options.signal, (c) => c.abortMultipartUpload(key, uploadId, {}));
  }

  getObjectMeta(bucket: string, key: string, options?: RequestOptions): Promise<ObjectInfo> {
    return append.getObjectMeta(this.sdk, bucket, key, options);
  }

  appendObject(bucket: string, key: string, position: number, body: Buffer, options?: RequestOptions): Promise<AppendResult> {
    return append.appendObject(this.sdk, bucket, key, position, body, options);
  }

  getVersioning(bucket: string, options?: RequestOptions): Promise<VersioningStatus> {
    return versions.getVersioning(this.sdk, bucket, options);
  }

  setVersioning(bucket: string, status: 'Enabled' | 'Suspended', options?: RequestOptions): Promise<void> {
    return versions.setVersioning(this.sdk, bucket, status, options);
  }

  listVersions(bucket: string, options?: VersionPageOptions): Promise<VersionPage> {
    return versions.listVersions(this.sdk, bucket, options);
  }

  readSymlink(bucket: string, key: string, options?: RequestOptions): Promise<string> {
    return readSymlink(this.sdk, bucket, key, options);
  }

  restoreObject(bucket: string, key: string, request: RestoreRequest, options?: RequestOptions): Promise<RestoreOutcome> {
    return restoreObject(this.sdk, bucket, key, request, options);
  }

  protected get ops(): OssCall {
    return this.sdk;
  }

  /** The SSE-C headers of the connection's customer key, if it has one: on every read and every write. */
  private customerKeyHeaders(): Record<string, string> {
    return this.options.customerKey ? customerKeyHeaders('x-oss-', this.options.customerKey) : {};
  }

  /** One ali-oss call: each attempt a fresh client that notes what the transport saw. */
  private readonly call: OssCallFn = (ctx, bucket, signal, run, onTransport) =>
    this.runner.run(ctx, signal, async (attempt) => {
      const transport: OssTransport = {};
      onTransport?.(transport);
      try {
        return await run(this.clients.create(bucket, attempt, transport));
      } catch (err) {
        if (err instanceof StorageError || err instanceof CancelledError) throw err;
        throw new RawError(rawFromSdkError(err, transport));
      }
    });
}

export function createOssStore(options: ConnectionOptions): ObjectStore {
  return new OssStore(options);
}
