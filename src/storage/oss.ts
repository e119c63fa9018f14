import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import OSS from 'ali-oss';
import { CancelledError } from '../util/errors';
import { guardedBody } from './body';
import {
  abortable,
  crcFromHeader,
  DEFAULT_TIMEOUT_MS,
  describe,
  header,
  infoFromHeaders,
  parseDate,
  parseEndpoint,
  retrying,
  secretsOf,
  type HeaderBag,
} from './common';
import { StorageError } from './errors';
import { toStorageError, type RawFailure } from './errorMapping';
import type {
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
} from './types';

/**
 * Alibaba Cloud OSS over `ali-oss`.
 *
 * Retries: ali-oss does not retry unless `retryMax` is set; it stays 0 and `withRetry` decides.
 * Timeouts: ali-oss gives urllib one timeout for connecting and one for the whole response (the response
 * timer stops once the headers of a streamed GET arrive; the body then has an idle timeout of its own).
 * Cancellation: each attempt gets its own client whose `urllib` aborts the socket when the signal fires.
 */

const CRC_HEADER = 'x-oss-hash-crc64ecma';
const CLASS_HEADER = 'x-oss-storage-class';

interface UrllibResponse {
  data: unknown;
  status: number;
  headers: HeaderBag;
  res: unknown;
}

interface Urllib {
  requestWithCallback(
    url: string,
    args: object,
    cb: (err: unknown, data: unknown, res: { statusCode: number; headers: HeaderBag }) => void,
  ): { abort(): void };
}

interface OssRes {
  status?: number;
  headers: HeaderBag;
}

/** The slice of ali-oss this adapter uses, typed narrowly. */
interface OssClient {
  urllib: Urllib | { request(url: string, args: object): Promise<UrllibResponse> };
  listBuckets(
    query: object,
    options: object,
  ): Promise<{ buckets: Array<{ name: string; region?: string; creationDate?: string }> | null; isTruncated: boolean; nextMarker: string | null }>;
  listV2(
    query: object,
    options: object,
  ): Promise<{
    objects: Array<{ name: string; lastModified?: string; etag?: string; size: number; storageClass?: string }>;
    prefixes: string[] | null;
    isTruncated: boolean;
    nextContinuationToken: string | null;
  }>;
  head(name: string, options: object): Promise<{ res: OssRes }>;
  getStream(name: string, options: object): Promise<{ stream: Readable; res: OssRes }>;
  put(name: string, content: Buffer, options: object): Promise<{ res: OssRes }>;
  delete(name: string, options: object): Promise<{ res: OssRes }>;
  initMultipartUpload(name: string, options: object): Promise<{ uploadId?: string; res: OssRes }>;
  _uploadPart(name: string, uploadId: string, partNo: number, data: { size: number; stream: Readable }, options: object): Promise<{ etag?: string; res: OssRes }>;
  listParts(
    name: string,
    uploadId: string,
    query: object,
    options: object,
  ): Promise<{
    parts: Array<{ PartNumber: string; ETag: string; Size?: string; HashCrc64ecma?: string }> | { PartNumber: string; ETag: string; Size?: string; HashCrc64ecma?: string };
    isTruncated: boolean | string;
    nextPartNumberMarker?: string;
  }>;
  completeMultipartUpload(name: string, uploadId: string, parts: Array<{ number: number; etag: string }>, options: object): Promise<{ etag?: string; res: OssRes }>;
  abortMultipartUpload(name: string, uploadId: string, options: object): Promise<{ res: OssRes }>;
}

interface CallContext {
  operation: string;
  bucket?: string;
}

/** OSS regions are named `oss-cn-hangzhou` in its host names; users usually write `cn-hangzhou`. */
export function ossRegion(region: string): string {
  return region.startsWith('oss-') ? region : `oss-${region}`;
}

function rawFromSdkError(err: unknown, transportCode: string | undefined): RawFailure {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; name?: unknown; message?: unknown; requestId?: unknown };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'string' && e.code ? e.code : typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const raw: RawFailure = {
    status,
    code,
    requestId: typeof e.requestId === 'string' ? e.requestId : undefined,
    serviceMessage: status !== undefined && status >= 400 && typeof e.message === 'string' ? e.message : undefined,
  };
  if (status === -2 || code === 'ConnectionTimeoutError' || code === 'ResponseTimeoutError') raw.timedOut = true;
  else if (status === -1 || (status === undefined && transportCode)) {
    raw.networkError = true;
    // urllib's own code (ECONNREFUSED, ECONNRESET) says more than ali-oss's "RequestError".
    if (transportCode) raw.code = transportCode;
  }
  return raw;
}

function isAbortError(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

export class OssStore implements ObjectStore {
  readonly provider = 'oss' as const;
  private readonly timeoutMs: number;
  private readonly secrets: string[];
  /** Options in ali-oss's initialised form, shared by every per-attempt client (never mutated). */
  private readonly base: Record<string, unknown>;

  constructor(private readonly options: ConnectionOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.secrets = secretsOf(options);
    const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
    let endpoint: string | undefined;
    if (options.endpoint) {
      const url = parseEndpoint(options.endpoint);
      // ali-oss puts the bucket in the Host header only when the endpoint is an IP address.
      if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
      endpoint = `${url.protocol}//${url.host}`;
    }
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
    const init = (OSS as unknown as { initOptions(o: object): Record<string, unknown> }).initOptions;
    this.base = init({
      accessKeyId,
      accessKeySecret: secretAccessKey,
      ...(sessionToken ? { stsToken: sessionToken, refreshSTSTokenInterval: Number.MAX_SAFE_INTEGER } : {}),
      region: ossRegion(options.region),
      ...(endpoint ? { endpoint } : { secure: true }),
      timeout: this.timeoutMs,
      retryMax: 0,
      agent,
      httpsAgent,
    });
  }

  async listBuckets(options: RequestOptions = {}): Promise<BucketInfo[]> {
    const ctx = { operation: 'list the buckets' };
    const out: BucketInfo[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.call(ctx, undefined, options.signal, (c) =>
        c.listBuckets({ 'max-keys': 1000, ...(marker ? { marker } : {}) }, {}),
      );
      for (const b of page.buckets ?? []) out.push({ name: b.name, region: b.region, creationDate: parseDate(b.creationDate) });
      if (!page.isTruncated || !page.nextMarker || page.nextMarker === marker) break;
      marker = page.nextMarker;
    }
    return out;
  }

  async list(bucket: string, options: ListOptions = {}): Promise<ListPage> {
    const ctx = { operation: `list ${describe('oss', bucket, options.prefix)}`, bucket };
    const query: Record<string, string | number> = { 'max-keys': options.pageSize ?? 1000 };
    if (options.prefix) query.prefix = options.prefix;
    if (options.delimiter) query.delimiter = options.delimiter;
    if (options.pageToken) query['continuation-token'] = options.pageToken;
    const res = await this.call(ctx, bucket, options.signal, (c) => c.listV2({ ...query }, {}));
    const page: ListPage = {
      objects: (res.objects ?? []).map((o) => ({
        key: o.name,
        size: Number(o.size ?? 0),
        lastModified: parseDate(o.lastModified),
        etag: o.etag,
        storageClass: o.storageClass ?? 'Standard',
      })),
      prefixes: res.prefixes ?? [],
    };
    if (res.isTruncated && res.nextContinuationToken) page.nextPageToken = res.nextContinuationToken;
    return page;
  }

  async head(bucket: string, key: string, options: RequestOptions = {}): Promise<ObjectInfo> {
    const ctx = { operation: `HEAD ${describe('oss', bucket, key)}`, bucket };
    const res = await this.call(ctx, bucket, options.signal, (c) => c.head(key, {}));
    return infoFromHeaders(key, res.res.headers, CRC_HEADER, CLASS_HEADER);
  }

  async get(bucket: string, key: string, options: GetOptions = {}): Promise<GetResult> {
    const ctx = { operation: `GET ${describe('oss', bucket, key)}`, bucket };
    const headers: Record<string, string> = {};
    if (options.range) headers.Range = `bytes=${options.range.start}-${options.range.end}`;
    const signal = options.signal;
    const res = await this.call(ctx, bucket, signal, (c) => c.getStream(key, { headers }));
    const stream = res.stream;
    if (signal?.aborted) {
      stream.destroy();
      throw new CancelledError();
    }
    const length = Number(header(res.res.headers, 'content-length'));
    const body = guardedBody(stream, {
      expectedLength: Number.isFinite(length) ? length : undefined,
      idleTimeoutMs: this.timeoutMs,
      signal,
      mapError: (err) => this.mapError(err, undefined, ctx),
      timeoutError: () => this.mapError(undefined, undefined, ctx, { timedOut: true }),
      truncatedError: (received, expected) =>
        new StorageError(
          'network',
          `The connection closed after ${received} of ${expected} bytes while trying to ${ctx.operation}.`,
          'Retry; check the network connection if it keeps happening.',
        ),
      release: () => stream.destroy(),
    });
    return { info: infoFromHeaders(key, res.res.headers, CRC_HEADER, CLASS_HEADER), body };
  }

  async put(bucket: string, key: string, body: Buffer, options: RequestOptions = {}): Promise<PutResult> {
    const ctx = { operation: `PUT ${describe('oss', bucket, key)}`, bucket };
    const res = await this.call(ctx, bucket, options.signal, (c) => c.put(key, body, { mime: 'application/octet-stream' }));
    return { etag: header(res.res.headers, 'etag'), crc64: crcFromHeader(header(res.res.headers, CRC_HEADER)) };
  }

  async deleteObject(bucket: string, key: string, options: RequestOptions = {}): Promise<void> {
    const ctx = { operation: `delete ${describe('oss', bucket, key)}`, bucket };
    await this.call(ctx, bucket, options.signal, (c) => c.delete(key, {}));
  }

  async createMultipartUpload(bucket: string, key: string, options: RequestOptions = {}): Promise<{ uploadId: string }> {
    const ctx = { operation: `start a multipart upload of ${describe('oss', bucket, key)}`, bucket };
    const res = await this.call(ctx, bucket, options.signal, (c) => c.initMultipartUpload(key, { mime: 'application/octet-stream' }));
    if (!res.uploadId) throw this.mapError(undefined, undefined, ctx, { malformed: true });
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
    const ctx = { operation: `upload part ${partNumber} of ${describe('oss', bucket, key)}`, bucket };
    const res = await this.call(ctx, bucket, options.signal, (c) =>
      // A fresh stream per attempt: a stream body is sent once and never replayed.
      c._uploadPart(key, uploadId, partNumber, { size: body.length, stream: Readable.from([body], { objectMode: false }) }, {}),
    );
    const etag = header(res.res.headers, 'etag') ?? res.etag;
    if (!etag) throw this.mapError(undefined, undefined, ctx, { malformed: true });
    return { partNumber, etag, crc64: crcFromHeader(header(res.res.headers, CRC_HEADER)), size: body.length };
  }

  async listParts(bucket: string, key: string, uploadId: string, options: RequestOptions = {}): Promise<UploadedPart[]> {
    const ctx = { operation: `list the parts of ${describe('oss', bucket, key)}`, bucket };
    const parts: UploadedPart[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.call(ctx, bucket, options.signal, (c) =>
        c.listParts(key, uploadId, { 'max-parts': 1000, ...(marker ? { 'part-number-marker': marker } : {}) }, {}),
      );
      const list = Array.isArray(page.parts) ? page.parts : page.parts ? [page.parts] : [];
      for (const p of list) {
        parts.push({
          partNumber: Number(p.PartNumber),
          etag: p.ETag,
          size: p.Size === undefined ? undefined : Number(p.Size),
          crc64: crcFromHeader(p.HashCrc64ecma),
        });
      }
      const truncated = page.isTruncated === true || page.isTruncated === 'true';
      if (!truncated || !page.nextPartNumberMarker || page.nextPartNumberMarker === marker) break;
      marker = page.nextPartNumberMarker;
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: ReadonlyArray<{ partNumber: number; etag: string }>,
    options: RequestOptions = {},
  ): Promise<CompleteResult> {
    const ctx = { operation: `complete the multipart upload of ${describe('oss', bucket, key)}`, bucket };
    const list = parts.map((p) => ({ number: p.partNumber, etag: p.etag }));
    const res = await this.call(ctx, bucket, options.signal, (c) => c.completeMultipartUpload(key, uploadId, list, {}));
    return { etag: header(res.res.headers, 'etag') ?? res.etag, crc64: crcFromHeader(header(res.res.headers, CRC_HEADER)) };
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string, options: RequestOptions = {}): Promise<void> {
    const ctx = { operation: `abort the multipart upload of ${describe('oss', bucket, key)}`, bucket };
    await this.call(ctx, bucket, options.signal, (c) => c.abortMultipartUpload(key, uploadId, {}));
  }

  private call<T>(ctx: CallContext, bucket: string | undefined, signal: AbortSignal | undefined, run: (c: OssClient) => Promise<T>): Promise<T> {
    return retrying(this.options, ctx.operation, signal, () =>
      abortable(async () => {
        const transport: { code?: string } = {};
        const client = this.client(bucket, signal, transport);
        try {
          return await run(client);
        } catch (err) {
          if (signal?.aborted || isAbortError(err)) throw new CancelledError();
          throw this.mapError(err, transport.code, ctx);
        }
      }, signal),
    );
  }

  /** A client for one attempt: its own bucket, and a urllib that aborts on the signal. */
  private client(bucket: string | undefined, signal: AbortSignal | undefined, transport: { code?: string }): OssClient {
    const client = new (OSS as unknown as new (o: object) => OssClient)({ ...this.base, bucket: bucket ?? null });
    const real = client.urllib as Urllib;
    client.urllib = {
      request: (url: string, args: object) =>
        new Promise<UrllibResponse>((resolve, reject) => {
          if (signal?.aborted) return reject(new CancelledError());
          const onAbort = (): void => {
            req.abort();
            reject(new CancelledError());
          };
          const req = real.requestWithCallback(url, args, (err, data, res) => {
            signal?.removeEventListener('abort', onAbort);
            if (err) {
              const code = (err as { code?: unknown }).code;
              if (typeof code === 'string') transport.code = code;
              return reject(err);
            }
            resolve({ data, status: res.statusCode, headers: res.headers, res });
          });
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
    };
    return client;
  }

  private mapError(err: unknown, transportCode: string | undefined, ctx: CallContext, raw?: RawFailure): Error {
    if (err instanceof StorageError || err instanceof CancelledError) return err;
    if (isAbortError(err)) return new CancelledError();
    return toStorageError(raw ?? rawFromSdkError(err, transportCode), {
      provider: 'oss',
      operation: ctx.operation,
      bucket: ctx.bucket,
      profileName: this.options.profileName,
      secrets: this.secrets,
    });
  }
}

export function createOssStore(options: ConnectionOptions): ObjectStore {
  return new OssStore(options);
}
