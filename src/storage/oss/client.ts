import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import OSS from 'ali-oss';
import { CancelledError } from '../../util/errors';
import type { Attempt, CallContext } from '../shared/call';
import { parseEndpoint } from '../shared/connection';
import type { HeaderBag } from '../shared/headers';
import type { ConnectionOptions } from '../types';
import type { OssTransport } from './errors';

/**
 * How the OSS adapter sets up `ali-oss`, in one place.
 *
 * One client per attempt, made from options initialised once (cheap), sharing the store's keep-alive
 * agents. Retries: ali-oss does not retry unless `retryMax` is set; it stays 0 and the shared retry layer
 * decides. Timeouts: the attempt's timeout goes to urllib as both its connect and its response timeout
 * (the response timer stops once the headers of a streamed GET arrive; the body then has an idle timeout
 * of its own). Cancellation: each client's `urllib` aborts its socket when the attempt's signal fires,
 * and notes the socket error code and the headers of a failed answer, which ali-oss leaves out of its
 * errors.
 */

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

export interface OssRes {
  status?: number;
  headers: HeaderBag;
}

type Answer = Promise<{ res: OssRes } & Record<string, unknown>>;

/** The slice of ali-oss this adapter uses, typed narrowly (results are read field by field where used). */
export interface OssClient {
  urllib: Urllib | { request(url: string, args: object): Promise<UrllibResponse> };
  listBuckets(query: object, options: object): Answer;
  listV2(query: object, options: object): Answer;
  /** ali-oss's request parameters for an object-level call (what `listV2` builds before it sends). */
  _objectRequestParams(method: string, name: string, options: object): Record<string, unknown>;
  /** One signed request; without `xmlResponse` the body is left as it came. */
  request(params: object): Promise<{ data: Buffer | string; res: OssRes }>;
  head(name: string, options: object): Answer;
  getObjectMeta(name: string, options: object): Answer;
  getStream(name: string, options: object): Promise<{ stream: Readable; res: OssRes }>;
  put(name: string, content: Buffer, options: object): Answer;
  append(name: string, content: Buffer, options: object): Answer;
  delete(name: string, options: object): Answer;
  deleteMulti(names: string[], options: object): Answer;
  putBucket(name: string, options: object): Answer;
  copy(name: string, sourceName: string, sourceBucket: string | object, options?: object): Answer;
  initMultipartUpload(name: string, options: object): Answer;
  _uploadPart(name: string, uploadId: string, partNo: number, data: { size: number; stream: Readable }, options: object): Answer;
  uploadPartCopy(name: string, uploadId: string, partNo: number, range: string, sourceData: object, options: object): Answer;
  listParts(name: string, uploadId: string, query: object, options: object): Answer;
  completeMultipartUpload(name: string, uploadId: string, parts: Array<{ number: number; etag: string }>, options: object): Answer;
  abortMultipartUpload(name: string, uploadId: string, options: object): Answer;
  getBucketInfo(bucket: string, options?: object): Answer;
  putBucketInventory(bucket: string, inventory: object, options?: object): Answer;
  getBucketInventory(bucket: string, id: string, options?: object): Answer;
  listBucketInventory(bucket: string, options?: object): Answer;
  deleteBucketInventory(bucket: string, id: string, options?: object): Answer;
  getBucketVersions(query: object, options?: object): Answer;
  getBucketVersioning(bucket: string, options?: object): Answer;
  putBucketVersioning(bucket: string, status: string, options?: object): Answer;
  getSymlink(name: string, options?: object): Answer;
}

/** OSS regions are named `oss-cn-hangzhou` in its host names; users usually write `cn-hangzhou`. */
export function ossRegion(region: string): string {
  return region.startsWith('oss-') ? region : `oss-${region}`;
}

/** Makes the per-attempt ali-oss clients of one store. */
export class OssClients {
  /** Options in ali-oss's initialised form, shared by every per-attempt client (never mutated). */
  private readonly base: Record<string, unknown>;

  constructor(options: ConnectionOptions) {
    const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
    let endpoint: string | undefined;
    if (options.endpoint) {
      const url = parseEndpoint(options.endpoint);
      // ali-oss puts the bucket in the Host header only when the endpoint is an IP address.
      if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
      endpoint = `${url.protocol}//${url.host}`;
    }
    const init = (OSS as unknown as { initOptions(o: object): Record<string, unknown> }).initOptions;
    this.base = init({
      accessKeyId,
      accessKeySecret: secretAccessKey,
      ...(sessionToken ? { stsToken: sessionToken, refreshSTSTokenInterval: Number.MAX_SAFE_INTEGER } : {}),
      region: ossRegion(options.region),
      ...(endpoint ? { endpoint } : { secure: true }),
      retryMax: 0,
      agent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
    });
  }

  /** A client for one attempt: its own bucket and timeout, and a urllib that aborts on the attempt's signal. */
  create(bucket: string | undefined, attempt: Attempt, transport: OssTransport): OssClient {
    const client = new (OSS as unknown as new (o: object) => OssClient)({
      ...this.base,
      bucket: bucket ?? null,
      timeout: attempt.timeoutMs,
    });
    const real = client.urllib as Urllib;
    const signal = attempt.signal;
    client.urllib = {
      request: (url: string, args: object) =>
        new Promise<UrllibResponse>((resolve, reject) => {
          if (signal.aborted) return reject(new CancelledError());
          const onAbort = (): void => {
            req.abort();
            reject(new CancelledError());
          };
          const req = real.requestWithCallback(url, args, (err, data, res) => {
            signal.removeEventListener('abort', onAbort);
            if (err) {
              const code = (err as { code?: unknown }).code;
              if (typeof code === 'string') transport.code = code;
              return reject(err);
            }
            if (res.statusCode < 300) return resolve({ data, status: res.statusCode, headers: res.headers, res });
            transport.errorHeaders = res.headers;
            // A streamed answer (GET) leaves its error body unread, and ali-oss then calls any 404 NoSuchKey:
            // read it here, so that its own error parsing sees the service's code (NoSuchBucket...).
            if ((args as { customResponse?: boolean }).customResponse) {
              readErrorBody(res as unknown as Readable).then((body) =>
                resolve({ data: body, status: res.statusCode, headers: res.headers, res: Readable.from([]) }),
              );
              return;
            }
            resolve({ data, status: res.statusCode, headers: res.headers, res });
          });
          signal.addEventListener('abort', onAbort, { once: true });
        }),
    };
    return client;
  }
}

/** Up to 64 KiB of an error answer's body (the rest is drained); never fails. */
function readErrorBody(res: Readable): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (size < 64 * 1024) chunks.push(chunk);
      size += chunk.length;
    });
    res.once('end', () => resolve(Buffer.concat(chunks)));
    res.once('error', () => resolve(Buffer.concat(chunks)));
    res.once('close', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * One ali-oss call run through the shared call path, with a client for `bucket`; it carries the
 * connection's SSE-C key for the calls that read an object (copies).
 */
export type OssCall = OssCallFn & { readonly customerKey?: string };

export type OssCallFn = <T>(
  ctx: CallContext,
  bucket: string | undefined,
  signal: AbortSignal | undefined,
  run: (c: OssClient) => Promise<T>,
  /** Sees each attempt's transport notes (e.g. the headers of a refusal). */
  onTransport?: (transport: OssTransport) => void,
) => Promise<T>;
