import * as http from 'node:http';
import * as https from 'node:https';
import { PassThrough, Readable } from 'node:stream';
import COS from 'cos-nodejs-sdk-v5';
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
import { parseXmlError, toStorageError, type RawFailure } from './errorMapping';
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
 * Tencent Cloud COS over `cos-nodejs-sdk-v5`.
 *
 * Retries: the SDK repeats a request up to three more times at once, without any backoff, after a 5xx, a
 * reset or a timeout. Every attempt asks `getAuthorization` for a signature, so the adapter signs the first
 * attempt itself and refuses to sign a second one; the call then fails with the first attempt's outcome
 * (kept from the transport), and `withRetry` decides, with backoff and jitter, whether to go again.
 *
 * Cancellation: the AbortSignal is handed to Node's `http.request` through the SDK's `before-send` hook, so
 * an abort tears the socket down instead of letting the request run on in the background.
 *
 * A fresh SDK client is made per attempt (cheap: it holds options only); connections are pooled in the
 * store's own keep-alive agents, whose idle sockets never keep a process alive.
 */

const CRC_HEADER = 'x-cos-hash-crc64ecma';
const CLASS_HEADER = 'x-cos-storage-class';
const REQUEST_ID_HEADER = 'x-cos-request-id';
/** COS bucket names carry the account's APPID: `name-1250000000`. */
const BUCKET_RE = /^[a-z\d-]+-\d+$/;
/** Answers the SDK gets from `getAuthorization` to stop its own immediate retry (fails its format check). */
const REFUSED_SIGNATURE = 'retry refused';

type Callback<T> = (err: unknown, data: T) => void;

interface CosHeadersResult {
  statusCode?: number;
  headers?: HeaderBag;
}

interface CosListResult extends CosHeadersResult {
  Contents: Array<{ Key: string; LastModified?: string; ETag?: string; Size?: string; StorageClass?: string }>;
  CommonPrefixes: Array<{ Prefix: string }>;
  IsTruncated?: string;
  NextMarker?: string;
}

interface CosPartsResult extends CosHeadersResult {
  Part: Array<{ PartNumber: string; ETag: string; Size?: string; HashCrc64ecma?: string }>;
  IsTruncated?: string;
  NextPartNumberMarker?: string;
}

/** The slice of the SDK this adapter uses, typed narrowly. */
interface CosClient {
  on(event: 'before-send', listener: (opt: Record<string, unknown>) => void): void;
  options: { SystemClockOffset?: number };
  getService(params: object, cb: Callback<CosHeadersResult & { Buckets: Array<{ Name: string; Location?: string; CreationDate?: string }> }>): void;
  getBucket(params: object, cb: Callback<CosListResult>): void;
  headObject(params: object, cb: Callback<CosHeadersResult>): void;
  getObject(params: object, cb: Callback<CosHeadersResult>): void;
  putObject(params: object, cb: Callback<CosHeadersResult & { ETag?: string }>): void;
  deleteObject(params: object, cb: Callback<CosHeadersResult & { BucketNotFound?: boolean }>): void;
  multipartInit(params: object, cb: Callback<CosHeadersResult & { UploadId?: string }>): void;
  multipartUpload(params: object, cb: Callback<CosHeadersResult & { ETag?: string }>): void;
  multipartListPart(params: object, cb: Callback<CosPartsResult>): void;
  multipartComplete(params: object, cb: Callback<CosHeadersResult & { ETag?: string }>): void;
  multipartAbort(params: object, cb: Callback<CosHeadersResult>): void;
}

/** What one request attempt looked like on the wire, kept for when the SDK's own retry is refused. */
interface Attempt {
  signed: boolean;
  refused: boolean;
  transport?: RawFailure;
}

interface CallContext {
  operation: string;
  bucket?: string;
}

/** An SDK error reduced to plain fields. */
function rawFromSdkError(err: unknown): RawFailure {
  const e = (err ?? {}) as {
    statusCode?: number;
    code?: string;
    name?: string;
    message?: string;
    headers?: HeaderBag;
    error?: { Code?: string; Message?: string; RequestId?: string } | string;
  };
  const body = typeof e.error === 'object' && e.error !== null ? e.error : undefined;
  const code = body?.Code ?? (typeof e.code === 'string' ? e.code : undefined);
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const raw: RawFailure = {
    status,
    code,
    serviceMessage: body?.Message,
    requestId: body?.RequestId ?? header(e.headers, REQUEST_ID_HEADER),
  };
  // A socket error code wins over a status: the status may belong to a response that broke off mid-body.
  if (code && /^E[A-Z_]+$/.test(code)) {
    raw.status = undefined;
    raw.networkError = true;
    if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') raw.timedOut = true;
  }
  return fixSuccessWithError(raw);
}

/** COS may answer 200 with an `<Error>` body (CompleteMultipartUpload); treat it by its code. */
function fixSuccessWithError(raw: RawFailure): RawFailure {
  if (raw.status !== undefined && raw.status < 300 && raw.code) {
    const transient = ['InternalError', 'SlowDown', 'ServiceUnavailable'].includes(raw.code);
    return { ...raw, status: transient ? 503 : 400 };
  }
  return raw;
}

/** The transport's view of one attempt (`request`'s callback), reduced to plain fields. */
function rawFromTransport(err: unknown, response: { statusCode?: number; headers?: HeaderBag } | undefined, body: unknown): RawFailure {
  if (err) {
    const code = (err as { code?: unknown }).code;
    const c = typeof code === 'string' ? code : undefined;
    return { code: c, networkError: true, timedOut: c === 'ETIMEDOUT' || c === 'ESOCKETTIMEDOUT' };
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : undefined;
  const xml = parseXmlError(text);
  return fixSuccessWithError({
    status: response?.statusCode,
    code: xml.code,
    serviceMessage: xml.message,
    requestId: xml.requestId ?? header(response?.headers, REQUEST_ID_HEADER),
  });
}

function isAbortError(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

export class CosStore implements ObjectStore {
  readonly provider = 'cos' as const;
  private readonly region: string;
  private readonly protocol: 'http:' | 'https:';
  private readonly ip: string;
  private readonly timeoutMs: number;
  private readonly secrets: string[];
  private readonly agent: http.Agent;
  private clockOffset = 0;

  constructor(private readonly options: ConnectionOptions) {
    if (!/^[a-z\d-]+$/.test(options.region) || options.region.startsWith('cos.')) {
      throw new StorageError(
        'invalid-request',
        `"${options.region}" is not a COS region.`,
        'Use a region name such as ap-guangzhou or ap-shanghai.',
      );
    }
    this.region = options.region;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.secrets = secretsOf(options);
    if (options.endpoint) {
      const url = parseEndpoint(options.endpoint);
      this.protocol = url.protocol as 'http:' | 'https:';
      this.ip = url.host;
    } else {
      this.protocol = 'https:';
      this.ip = '';
    }
    this.agent =
      this.protocol === 'http:' ? new http.Agent({ keepAlive: true, maxSockets: 64 }) : new https.Agent({ keepAlive: true, maxSockets: 64 });
  }

  listBuckets(options: RequestOptions = {}): Promise<BucketInfo[]> {
    const ctx = { operation: 'list the buckets' };
    return this.call(ctx, options.signal, (cos, done: Callback<BucketInfo[]>) =>
      cos.getService({ Region: this.region }, (err, data) => {
        if (err) return done(err, []);
        done(
          null,
          (data.Buckets ?? []).map((b) => ({ name: b.Name, region: b.Location, creationDate: parseDate(b.CreationDate) })),
        );
      }),
    );
  }

  list(bucket: string, options: ListOptions = {}): Promise<ListPage> {
    const ctx = { operation: `list ${describe('cos', bucket, options.prefix)}`, bucket };
    return this.call(ctx, options.signal, (cos, done: Callback<ListPage>) =>
      cos.getBucket(
        {
          Bucket: bucket,
          Region: this.region,
          Prefix: options.prefix ?? '',
          Delimiter: options.delimiter || undefined,
          Marker: options.pageToken || undefined,
          MaxKeys: options.pageSize ?? 1000,
        },
        (err, data) => {
          if (err) return done(err, emptyPage());
          const objects: ObjectInfo[] = (data.Contents ?? []).map((c) => ({
            key: c.Key,
            size: Number(c.Size ?? 0),
            lastModified: parseDate(c.LastModified),
            etag: c.ETag,
            storageClass: c.StorageClass ?? 'STANDARD',
          }));
          const prefixes = (data.CommonPrefixes ?? []).map((p) => p.Prefix).filter((p): p is string => !!p);
          const page: ListPage = { objects, prefixes };
          if (data.IsTruncated === 'true') {
            // Without a delimiter COS leaves NextMarker out: the last key returned is the marker.
            const last = [objects.at(-1)?.key ?? '', prefixes.at(-1) ?? ''].sort().at(-1);
            const next = data.NextMarker || last;
            if (next) page.nextPageToken = next;
          }
          done(null, page);
        },
      ),
    );
  }

  head(bucket: string, key: string, options: RequestOptions = {}): Promise<ObjectInfo> {
    const ctx = { operation: `HEAD ${describe('cos', bucket, key)}`, bucket };
    return this.call(ctx, options.signal, (cos, done: Callback<ObjectInfo | undefined>) =>
      cos.headObject({ Bucket: bucket, Region: this.region, Key: key }, (err, data) => {
        if (err) return done(err, undefined);
        done(null, infoFromHeaders(key, data.headers, CRC_HEADER, CLASS_HEADER));
      }),
    ) as Promise<ObjectInfo>;
  }

  get(bucket: string, key: string, options: GetOptions = {}): Promise<GetResult> {
    const ctx = { operation: `GET ${describe('cos', bucket, key)}`, bucket };
    // A GET streams its body to the caller: it is never repeated behind the caller's back (the SDK does
    // not retry a request with an output stream), but opening it is retried like any other call.
    return retrying(this.options, ctx.operation, options.signal, () => this.getOnce(ctx, bucket, key, options));
  }

  private getOnce(ctx: CallContext, bucket: string, key: string, options: GetOptions): Promise<GetResult> {
    const signal = options.signal;
    this.checkBucket(bucket);
    return new Promise<GetResult>((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError());
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const capture = new HeaderCapture();
      const cos = this.client({ signed: false, refused: false }, signal, false);
      const onAbort = (): void => {
        capture.destroy(new CancelledError());
        settle(() => reject(new CancelledError()));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // The SDK re-emits transport errors on the output stream; they are mapped on the caller's stream.
      capture.on('error', () => undefined);
      capture.onHeaders = (status, headers) => {
        if (status < 200 || status >= 300) {
          capture.resume(); // drain the error body; the SDK's callback reports the error
          return;
        }
        const info = infoFromHeaders(key, headers, CRC_HEADER, CLASS_HEADER);
        const length = Number(header(headers, 'content-length'));
        const body = guardedBody(capture, {
          expectedLength: Number.isFinite(length) ? length : undefined,
          idleTimeoutMs: this.timeoutMs,
          signal,
          mapError: (err) => this.mapError(err, undefined, ctx),
          timeoutError: () => this.mapError(undefined, { timedOut: true }, ctx),
          truncatedError: (received, expected) =>
            new StorageError(
              'network',
              `The connection closed after ${received} of ${expected} bytes while trying to ${ctx.operation}.`,
              'Retry; check the network connection if it keeps happening.',
            ),
          release: () => capture.destroy(),
        });
        settle(() => resolve({ info, body }));
      };
      const headers: Record<string, string> = {};
      if (options.range) headers.Range = `bytes=${options.range.start}-${options.range.end}`;
      cos.getObject({ Bucket: bucket, Region: this.region, Key: key, Headers: headers, Output: capture }, (err) => {
        if (err) settle(() => reject(signal?.aborted || isAbortError(err) ? new CancelledError() : this.mapError(err, undefined, ctx)));
      });
    });
  }

  put(bucket: string, key: string, body: Buffer, options: RequestOptions = {}): Promise<PutResult> {
    const ctx = { operation: `PUT ${describe('cos', bucket, key)}`, bucket };
    return this.call(ctx, options.signal, (cos, done: Callback<PutResult>) =>
      cos.putObject(
        {
          Bucket: bucket,
          Region: this.region,
          Key: key,
          Body: bodyStream(body),
          ContentLength: body.length,
          SkipTask: true,
        },
        (err, data) => {
          if (err) return done(err, {});
          done(null, { etag: header(data.headers, 'etag') ?? data.ETag, crc64: crcFromHeader(header(data.headers, CRC_HEADER)) });
        },
      ),
    );
  }

  deleteObject(bucket: string, key: string, options: RequestOptions = {}): Promise<void> {
    const ctx = { operation: `delete ${describe('cos', bucket, key)}`, bucket };
    return this.call(ctx, options.signal, (cos, done: Callback<void>) =>
      cos.deleteObject({ Bucket: bucket, Region: this.region, Key: key }, (err, data) => {
        if (err) return done(err, undefined);
        // The SDK turns a 404 into success with this flag; COS answers 404 on DELETE only for a missing bucket.
        if (data?.BucketNotFound) return done({ statusCode: 404, code: 'NoSuchBucket' }, undefined);
        done(null, undefined);
      }),
    );
  }

  createMultipartUpload(bucket: string, key: string, options: RequestOptions = {}): Promise<{ uploadId: string }> {
    const ctx = { operation: `start a multipart upload of ${describe('cos', bucket, key)}`, bucket };
    return this.call(ctx, options.signal, (cos, done: Callback<{ uploadId: string }>) =>
      cos.multipartInit({ Bucket: bucket, Region: this.region, Key: key }, (err, data) => {
        if (err) return done(err, { uploadId: '' });
        if (!data.UploadId) return done({ malformed: true }, { uploadId: '' });
        done(null, { uploadId: data.UploadId });
      }),
    );
  }

  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    options: RequestOptions = {},
  ): Promise<UploadedPart> {
    const ctx = { operation: `upload part ${partNumber} of ${describe('cos', bucket, key)}`, bucket };
    return this.call(ctx, options.signal, (cos, done: Callback<UploadedPart | undefined>) =>
      cos.multipartUpload(
        {
          Bucket: bucket,
          Region: this.region,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: bodyStream(body),
          ContentLength: body.length,
        },
        (err, data) => {
          if (err) return done(err, undefined);
          const etag = header(data.headers, 'etag') ?? data.ETag;
          if (!etag) return done({ malformed: true }, undefined);
          done(null, { partNumber, etag, crc64: crcFromHeader(header(data.headers, CRC_HEADER)), size: body.length });
        },
      ),
    ) as Promise<UploadedPart>;
  }

  async listParts(bucket: string, key: string, uploadId: string, options: RequestOptions = {}): Promise<UploadedPart[]> {
    const ctx = { operation: `list the parts of ${describe('cos', bucket, key)}`, bucket };
    const parts: UploadedPart[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.call(ctx, options.signal, (cos, done: Callback<CosPartsResult | undefined>) =>
        cos.multipartListPart(
          { Bucket: bucket, Region: this.region, Key: key, UploadId: uploadId, PartNumberMarker: marker, MaxParts: 1000 },
          (err, data) => done(err, err ? undefined : data),
        ),
      );
      for (const p of page?.Part ?? []) {
        parts.push({
          partNumber: Number(p.PartNumber),
          etag: p.ETag,
          size: p.Size === undefined ? undefined : Number(p.Size),
          crc64: crcFromHeader(p.HashCrc64ecma),
        });
      }
      if (page?.IsTruncated !== 'true' || !page.NextPartNumberMarker || page.NextPartNumberMarker === marker) break;
      marker = page.NextPartNumberMarker;
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: ReadonlyArray<{ partNumber: number; etag: string }>,
    options: RequestOptions = {},
  ): Promise<CompleteResult> {
    const ctx = { operation: `complete the multipart upload of ${describe('cos', bucket, key)}`, bucket };
    return this.call(ctx, options.signal, (cos, done: Callback<CompleteResult>) =>
      cos.multipartComplete(
        {
          Bucket: bucket,
          Region: this.region,
          Key: key,
          UploadId: uploadId,
          Parts: [...parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
        },
        (err, data) => {
          if (err) return done(err, {});
          done(null, { etag: header(data.headers, 'etag') ?? data.ETag, crc64: crcFromHeader(header(data.headers, CRC_HEADER)) });
        },
      ),
    );
  }

  abortMultipartUpload(bucket: string, key: string, uploadId: string, options: RequestOptions = {}): Promise<void> {
    const ctx = { operation: `abort the multipart upload of ${describe('cos', bucket, key)}`, bucket };
    return this.call(ctx, options.signal, (cos, done: Callback<void>) =>
      cos.multipartAbort({ Bucket: bucket, Region: this.region, Key: key, UploadId: uploadId }, (err) => done(err, undefined)),
    );
  }

  /** One logical call: attempts with our retry policy, each attempt a single request (no SDK retries). */
  private call<T>(ctx: CallContext, signal: AbortSignal | undefined, run: (cos: CosClient, done: Callback<T>) => void): Promise<T> {
    try {
      if (ctx.bucket !== undefined) this.checkBucket(ctx.bucket);
    } catch (err) {
      return Promise.reject(err);
    }
    return retrying(this.options, ctx.operation, signal, () => abortable(() => this.attempt(ctx, signal, run), signal));
  }

  private attempt<T>(ctx: CallContext, signal: AbortSignal | undefined, run: (cos: CosClient, done: Callback<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt: Attempt = { signed: false, refused: false };
      const cos = this.client(attempt, signal, true);
      try {
        run(cos, (err, data) => {
          this.clockOffset = cos.options.SystemClockOffset ?? this.clockOffset;
          if (!err) return resolve(data);
          if (signal?.aborted || isAbortError(err)) return reject(new CancelledError());
          reject(this.mapError(err, attempt.refused ? (attempt.transport ?? { malformed: true }) : undefined, ctx));
        });
      } catch (err) {
        reject(this.mapError(err, undefined, ctx));
      }
    });
  }

  /** A client for one attempt. `capture` keeps the transport's outcome (not for GET, whose body is large). */
  private client(attempt: Attempt, signal: AbortSignal | undefined, capture: boolean): CosClient {
    const { accessKeyId, secretAccessKey, sessionToken } = this.options.credentials;
    const cos = new COS({
      Protocol: this.protocol,
      ...(this.ip ? { Ip: this.ip } : {}),
      AutoSwitchHost: false,
      Timeout: this.timeoutMs,
      KeepAlive: false, // the store's agent pools connections instead
      FollowRedirect: false,
      CorrectClockSkew: true,
      SystemClockOffset: this.clockOffset,
      UploadCheckContentMd5: false,
      getAuthorization: (o, callback) => {
        if (attempt.signed) {
          attempt.refused = true;
          callback({ Authorization: REFUSED_SIGNATURE } as COS.GetAuthorizationCallbackParams);
          return;
        }
        attempt.signed = true;
        callback({
          Authorization: COS.getAuthorization({
            SecretId: accessKeyId,
            SecretKey: secretAccessKey,
            Method: o.Method,
            Pathname: o.Pathname,
            Query: o.Query,
            Headers: o.Headers,
            SystemClockOffset: o.SystemClockOffset,
          }),
          SecurityToken: sessionToken ?? '',
        } as COS.GetAuthorizationCallbackParams);
      },
    }) as unknown as CosClient;
    cos.on('before-send', (opt) => {
      if (signal) opt.signal = signal;
      if (!capture) {
        opt.agent = this.agent;
        return;
      }
      // The transport's own errors (timeouts, resets) reach `callback` before the SDK sees them.
      opt.callback = (err: unknown) => {
        if (err) attempt.transport = rawFromTransport(err, undefined, undefined);
      };
      // An HTTP answer is read off the socket by a per-attempt view of the shared agent, whose listeners
      // run before the SDK's (the SDK drops every other listener once it has the response).
      const tracking = Object.create(this.agent) as http.Agent & { addRequest(req: http.ClientRequest, o: object): void };
      const shared = this.agent as http.Agent & { addRequest(req: http.ClientRequest, o: object): void };
      tracking.addRequest = (req, o) => {
        req.once('response', (res: http.IncomingMessage) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < 64 * 1024) chunks.push(chunk);
            size += chunk.length;
          });
          res.once('end', () => {
            attempt.transport = rawFromTransport(undefined, { statusCode: status, headers: res.headers as HeaderBag }, Buffer.concat(chunks));
          });
        });
        shared.addRequest(req, o);
      };
      opt.agent = tracking;
    });
    return cos;
  }

  private checkBucket(bucket: string): void {
    if (!BUCKET_RE.test(bucket)) {
      throw new StorageError(
        'invalid-request',
        `"${bucket}" is not a COS bucket name: COS names end with the account's APPID, e.g. "photos-1250000000".`,
        'Use the full bucket name as shown in the COS console.',
      );
    }
  }

  private mapError(err: unknown, transport: RawFailure | undefined, ctx: CallContext): Error {
    if (err instanceof StorageError || err instanceof CancelledError) return err;
    if (isAbortError(err)) return new CancelledError();
    let raw: RawFailure;
    if (transport) raw = transport;
    else if ((err as { malformed?: boolean } | undefined)?.malformed) raw = { malformed: true };
    else if (err === undefined) raw = { timedOut: true };
    else raw = rawFromSdkError(err);
    return toStorageError(raw, {
      provider: 'cos',
      operation: ctx.operation,
      bucket: ctx.bucket,
      profileName: this.options.profileName,
      secrets: this.secrets,
    });
  }
}

/**
 * The SDK's output stream for a GET. The transport copies the response's status and headers onto a
 * destination that has `setHeader` as soon as the response arrives, before any byte of the body: that is
 * how the adapter learns them without waiting for the whole download.
 */
class HeaderCapture extends PassThrough {
  readonly headersSent = false;
  readonly headers: HeaderBag = {};
  onHeaders?: (status: number, headers: HeaderBag) => void;

  setHeader(name: string, value: string | string[]): void {
    this.headers[name.toLowerCase()] = value;
  }

  set statusCode(status: number) {
    this.onHeaders?.(status, this.headers);
  }
}

function bodyStream(body: Buffer): Readable {
  // A stream body makes the SDK send exactly once per call (it never replays a stream).
  return Readable.from([body], { objectMode: false });
}

function emptyPage(): ListPage {
  return { objects: [], prefixes: [] };
}

export function createCosStore(options: ConnectionOptions): ObjectStore {
  return new CosStore(options);
}
