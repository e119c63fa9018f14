import * as http from 'node:http';
import * as https from 'node:https';
import COS from 'cos-nodejs-sdk-v5';
import type { Attempt, CallContext } from '../shared/call';
import { parseEndpoint } from '../shared/connection';
import type { RawFailure } from '../shared/errorMapping';
import type { HeaderBag } from '../shared/headers';
import type { ConnectionOptions } from '../types';
import { rawFromTransport } from './errors';

/**
 * How the COS adapter sets up `cos-nodejs-sdk-v5`, in one place.
 *
 * One SDK client per attempt. It holds options only (cheap to make); connections are pooled in the
 * store's own keep-alive agent, whose idle sockets never keep a process alive.
 *
 * No SDK retries. The SDK repeats a failed request up to three more times at once, without any backoff,
 * after a 5xx, a reset or a timeout. Every try asks `getAuthorization` for a signature, so the client
 * signs the first try and refuses to sign a second one (the SDK's format check then fails it): the call
 * ends with the first try's outcome and the shared retry layer decides, with backoff, whether to go again.
 *
 * The tap keeps the first try's outcome. Once its retry is refused, the SDK reports the refusal, not what
 * happened on the wire; so the transport's own errors (timeouts, resets) are kept from `before-send`'s
 * callback, and the status and error body of a failed answer (also a 200 with an `<Error>` body, which
 * copies may send) from a per-attempt view of the shared agent, whose `response` listener runs before
 * the SDK's (the SDK drops every other listener once it has the response). GETs skip this: their bodies are large and the SDK does not retry a streamed output anyway.
 *
 * Cancellation and timeout: the attempt's signal goes to Node's `http.request` through `before-send`, so
 * an abort or the attempt's timeout tears the socket down instead of letting it run on in the background.
 */

/** Answer the SDK gets from `getAuthorization` for a retry: it fails the SDK's format check. */
const REFUSED_SIGNATURE = 'retry refused';

export type Callback<T> = (err: unknown, data: T) => void;

export interface CosHeadersResult {
  statusCode?: number;
  headers?: HeaderBag;
}

/** What one attempt looked like on the wire, for when the SDK's own retry was refused. */
export interface CosTap {
  signed: boolean;
  refused: boolean;
  transport?: RawFailure;
}

/** The SDK methods the adapter calls: each takes params and a node-style callback. */
export type CosMethod =
  | 'getService'
  | 'getBucket'
  | 'headObject'
  | 'restoreObject'
  | 'getObject'
  | 'putObject'
  | 'deleteObject'
  | 'deleteMultipleObject'
  | 'putBucket'
  | 'multipartInit'
  | 'multipartUpload'
  | 'multipartListPart'
  | 'multipartComplete'
  | 'multipartAbort'
  | 'putObjectCopy'
  | 'uploadPartCopy'
  | 'putBucketInventory'
  | 'getBucketInventory'
  | 'listBucketInventory'
  | 'deleteBucketInventory'
  | 'listObjectVersions'
  | 'getBucketVersioning'
  | 'putBucketVersioning'
  | 'request';

/** The slice of the SDK this adapter uses, typed narrowly (results are read field by field where used). */
export type CosClient = {
  on(event: 'before-send', listener: (opt: Record<string, unknown>) => void): void;
  options: { SystemClockOffset?: number };
} & Record<CosMethod, (params: object, cb: Callback<CosHeadersResult & Record<string, unknown>>) => void>;

type TappableAgent = http.Agent & { addRequest(req: http.ClientRequest, o: object): void };

/** Makes the per-attempt SDK clients of one store. */
export class CosClients {
  readonly protocol: 'http:' | 'https:';
  private readonly ip: string;
  /** The store's keep-alive agent: every request of the store goes out on it (see `directList.ts` for the one sent without the SDK). */
  readonly agent: http.Agent;
  /** The server clock's offset, learnt by the SDK from a skewed answer and kept for later clients. */
  private clockOffset = 0;

  constructor(private readonly options: ConnectionOptions) {
    if (options.endpoint) {
      const url = parseEndpoint(options.endpoint);
      this.protocol = url.protocol as 'http:' | 'https:';
      this.ip = url.host;
    } else {
      this.protocol = 'https:';
      this.ip = '';
    }
    this.agent =
      this.protocol === 'http:'
        ? new http.Agent({ keepAlive: true, maxSockets: 64 })
        : new https.Agent({ keepAlive: true, maxSockets: 64 });
  }

  /** A client for one attempt; with a `tap`, the attempt's outcome on the wire is kept in it. */
  create(attempt: Attempt, tap: CosTap | undefined): CosClient {
    const cos = new COS({
      Protocol: this.protocol,
      ...(this.ip ? { Ip: this.ip } : {}),
      AutoSwitchHost: false,
      Timeout: attempt.timeoutMs,
      KeepAlive: false, // the store's agent pools connections instead
      FollowRedirect: false,
      CorrectClockSkew: true,
      SystemClockOffset: this.clockOffset,
      UploadCheckContentMd5: false,
      getAuthorization: (o, callback) => this.sign(o, tap ?? { signed: false, refused: false }, callback),
    }) as unknown as CosClient;
    cos.on('before-send', (opt) => {
      opt.signal = attempt.signal;
      opt.agent = tap ? this.tapped(opt, tap) : this.agent;
    });
    return cos;
  }

  /** The server clock's offset learnt so far (signed URLs use it too). */
  get clockOffsetMs(): number {
    return this.clockOffset;
  }

  /** Keep the clock offset the SDK learnt during an attempt. */
  learnClock(cos: CosClient): void {
    this.clockOffset = cos.options.SystemClockOffset ?? this.clockOffset;
  }

  private sign(o: COS.GetAuthorizationOptions, tap: CosTap, callback: (params: COS.GetAuthorizationCallbackParams) => void): void {
    if (tap.signed) {
      tap.refused = true;
      callback({ Authorization: REFUSED_SIGNATURE } as COS.GetAuthorizationCallbackParams);
      return;
    }
    tap.signed = true;
    const { accessKeyId, secretAccessKey, sessionToken } = this.options.credentials;
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
  }

  /** The shared agent, seen through a view that records a failed answer's status and error body in the tap. */
  private tapped(opt: Record<string, unknown>, tap: CosTap): http.Agent {
    // The callback is for transport errors only: the body stays bytes (the SDK reads its own copy).
    opt.encoding = null;
    opt.callback = (err: unknown) => {
      if (err) tap.transport = rawFromTransport(err, undefined, undefined);
    };
    const shared = this.agent as TappableAgent;
    const view = Object.create(shared) as TappableAgent;
    view.addRequest = (req, o) => {
      req.once('response', (res: http.IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < 64 * 1024) chunks.push(chunk);
          size += chunk.length;
        });
        res.once('end', () => {
          const raw = rawFromTransport(undefined, { statusCode: status, headers: res.headers as HeaderBag }, Buffer.concat(chunks));
          // A 2xx counts only with an <Error> body: copies may answer 200 and fail (the SDK retries those).
          if (status < 200 || status >= 300 || raw.code) tap.transport = raw;
        });
      });
      shared.addRequest(req, o);
    };
    return view;
  }
}

/** What an SDK call answered: headers plus the fields of its parsed XML. */
export type CosData = CosHeadersResult & Record<string, unknown>;

/** One SDK call run through the shared call path; `read` turns its answer into the result. */
export type CosCall = <T>(
  ctx: CallContext,
  signal: AbortSignal | undefined,
  method: CosMethod,
  /** A function when the params hold a body stream: every attempt needs a fresh one. */
  params: object | (() => object),
  read: (data: CosData) => T,
) => Promise<T>;
