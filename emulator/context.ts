import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dialect, Dialects } from './dialects/dialect';
import { EmulatorError } from './errors';
import type { FaultRegistry } from './faults';
import type { RestoreTiming } from './handlers/objectState';
import type { InventoryService } from './inventory/run';
import { headerValue, type QueryItem } from './request';
import type { BucketState, ObjectMeta, Store, UploadMeta } from './store';
import type { Account, FaultAction, Operation, RequestLog } from './types';
import { xmlDocumentChunks, type XmlNode } from './xml';

/** What every request handler shares: the store, faults, accounts, dialects and the request log. */
export interface ServerConfig {
  store: Store;
  faults: FaultRegistry;
  accounts: Map<string, Account>;
  dialects: Dialects;
  log: RequestLog[];
  inventory: InventoryService;
  /** How long a restore takes and how long its days last. */
  restore: RestoreTiming;
}

/** Owner ID the services show for the main account (OSS: the AccountId an inventory destination names). */
export const OWNER_ID = '1250000000';

/** Standard headers an object keeps (PUT Object, PutObject: "Cache-Control, Content-Disposition, …"). */
const KEPT_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

/**
 * One request being served: what the router found out about it (dialect, bucket, key, operation, account,
 * faults) and the answers a handler sends, shaped by the request's dialect and faults.
 */
export class RequestContext {
  readonly requestId = randomBytes(12).toString('base64url');
  readonly host: string;
  dialect: Dialect;
  bucketName?: string;
  key = '';
  /** The request path as sent (not decoded), without the query. */
  rawPath = '/';
  query: QueryItem[] = [];
  /** The query as a map (last value wins), for reading parameters. */
  q = new Map<string, string>();
  op: Operation = 'Unknown';
  account?: Account;
  faults: FaultAction[] = [];

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly cfg: ServerConfig,
    readonly log: RequestLog,
  ) {
    this.host = headerValue(req, 'host') ?? '';
    this.dialect = cfg.dialects.oss;
  }

  get store(): Store {
    return this.cfg.store;
  }

  /** A request header. */
  header(name: string): string | undefined {
    return headerValue(this.req, name);
  }

  /** A request header of the service's own family, e.g. `copy-source` → `x-cos-copy-source`. */
  serviceHeader(name: string): string | undefined {
    // The S3-compatible API names the same headers `x-amz-…` (copy-source, metadata-directive, …).
    return headerValue(this.req, this.dialect.header(name)) ?? headerValue(this.req, `x-amz-${name}`);
  }

  /**
   * The headers an object keeps from the request that writes it and sends back on GET and HEAD: user
   * metadata (`x-cos-meta-*` / `x-oss-meta-*`), the standard Cache-Control, Content-Disposition,
   * Content-Encoding, Content-Language and Expires, the storage class and server-side encryption.
   */
  keptHeaders(): Record<string, string> {
    const prefix = this.dialect.header('meta-');
    const kept = new Set([...KEPT_HEADERS, this.dialect.header('storage-class'), this.dialect.header('server-side-encryption')]);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.req.headers)) {
      if ((k.startsWith(prefix) || kept.has(k)) && typeof v === 'string') out[k] = v;
      // S3 clients send `x-amz-meta-*`: kept as the service's own user metadata.
      else if (k.startsWith('x-amz-meta-') && typeof v === 'string') out[`${prefix}${k.slice('x-amz-meta-'.length)}`] = v;
    }
    return out;
  }

  has(kind: FaultAction['kind']): boolean {
    return this.faults.some((f) => f.kind === kind);
  }

  /** Whether what this request writes is stored with a CRC-64 (not under a `store-without-crc` fault). */
  storesCrc(): boolean {
    return !this.has('store-without-crc');
  }

  // ------------------------------------------------------------ answers

  /** The CRC header as the faults want it: real, off by one, or absent. */
  crcHeader(headers: Record<string, string>, crc: string | undefined): void {
    if (crc === undefined || this.has('omit-crc-header')) return;
    const value = this.has('wrong-crc-header') ? (BigInt(crc) ^ 1n).toString(10) : crc;
    headers[this.dialect.header('hash-crc64ecma')] = value;
  }

  /** With a `drop-response` fault the work is done but the answer is lost: the connection closes instead. */
  dropResponse(): boolean {
    if (!this.has('drop-response')) return false;
    this.req.socket.destroy();
    return true;
  }

  /** Start an answer with the service's own headers first. */
  writeHead(status: number, headers: Record<string, string>): void {
    this.res.writeHead(status, { ...this.dialect.baseHeaders(this.requestId), ...headers });
  }

  /** A body given in chunks is written as it is, chunk by chunk (a listing page, `xmlDocumentChunks`). */
  send(status: number, headers: Record<string, string>, body?: string | Buffer | readonly Buffer[]): void {
    if (this.dropResponse()) return;
    const h = { ...headers };
    if (body !== undefined) {
      const chunks = typeof body === 'string' ? [Buffer.from(body, 'utf8')] : Buffer.isBuffer(body) ? [body] : body;
      h['content-type'] ??= 'application/xml';
      h['content-length'] = String(chunks.reduce((n, c) => n + c.length, 0));
      this.writeHead(status, h);
      if (this.req.method !== 'HEAD') for (const c of chunks) this.res.write(c);
      this.res.end();
    } else {
      h['content-length'] ??= '0';
      this.writeHead(status, h);
      this.res.end();
    }
  }

  sendXml(root: string, node: XmlNode, headers: Record<string, string> = {}): void {
    this.send(200, headers, xmlDocumentChunks(root, node));
  }

  // ------------------------------------------------------------ lookups

  /** The request's bucket (or another of this dialect), if it exists and the account owns it. */
  bucket(name = this.bucketName): BucketState {
    const b = name ? this.store.getBucket(this.dialect.name, name) : undefined;
    if (!b) throw new EmulatorError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
    if (b.owner !== this.account?.owner) throw new EmulatorError(403, 'AccessDenied', 'Access Denied.');
    return b;
  }

  object(b: BucketState, key: string): ObjectMeta {
    const m = b.objects.get(key);
    if (!m) throw new EmulatorError(404, 'NoSuchKey', 'The specified key does not exist.');
    return m;
  }

  /** The multipart upload named by `uploadId`, which must be one of the request's key. */
  upload(b: BucketState): UploadMeta {
    const u = b.uploads.get(this.q.get('uploadId') ?? '');
    if (!u || u.key !== this.key) {
      throw new EmulatorError(
        404,
        'NoSuchUpload',
        'The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.',
      );
    }
    return u;
  }

  owner(): XmlNode {
    const owner = this.account?.owner;
    return { ID: owner === 'main' ? OWNER_ID : (owner ?? OWNER_ID), DisplayName: owner ?? 'main' };
  }
}
