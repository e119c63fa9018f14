import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { accountKey, verifyCos, verifyOssV1, verifyOssV4, type AccountBook, type SignedRequest } from './auth';
import { appendReceived, checkAppend } from '../../emulator/append/append';
import { serveInventory, type InventoryOperation } from '../../emulator/inventory/http';
import type { InventoryRegistry } from '../../emulator/inventory/registry';
import { handleControl } from './control';
import { EmulatorError } from './errors';
import type { FaultRegistry } from './faults';
import { classify, decode, detectDialect, drain, headerValue, parseQuery, readSmallBody, resolveTarget, UNSUPPORTED, type QueryItem } from './request';
import type { BucketState, ObjectMeta, PartMeta, Received, Store, UploadMeta } from './store';
import type { Account, CosCredentials, Dialect, FaultAction, Operation, OssCredentials, RequestLog } from './types';
import { child, esc, parseXml, xmlDocument, type XmlNode } from './xml';

/** HTTP front end: tells the dialects apart, checks signatures, applies faults and serves the API. */

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  dialect: Dialect;
  requestId: string;
  host: string;
  bucketName?: string;
  key: string;
  query: QueryItem[];
  q: Map<string, string>;
  op: Operation;
  account?: Account;
  faults: FaultAction[];
  log: RequestLog;
}

const MAX_LOG = 20_000;
const OWNER_ID = '1250000000';

class ResetSignal extends Error {}

export interface ServerConfig {
  store: Store;
  faults: FaultRegistry;
  accounts: Map<string, Account>;
  cos: CosCredentials;
  oss: OssCredentials;
  minPartSize?: number;
  log: RequestLog[];
  inventory: InventoryRegistry;
  inventoryRowsPerFile?: number;
}


function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function userMetaFrom(req: IncomingMessage, dialect: Dialect): Record<string, string> {
  const prefix = `x-${dialect}-meta-`;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.startsWith(prefix) && typeof v === 'string') out[k] = v;
  }
  return out;
}

function normalizeEtag(e: string): string {
  return e.trim().replace(/^"|"$/g, '').replace(/^&quot;|&quot;$/g, '').toLowerCase();
}

export class EmulatorServer implements AccountBook {
  constructor(private readonly cfg: ServerConfig) {}

  find(dialect: Dialect, id: string): Account | undefined {
    return this.cfg.accounts.get(accountKey(dialect, id));
  }

  private minPartSize(dialect: Dialect): number {
    return this.cfg.minPartSize ?? (dialect === 'cos' ? 1024 * 1024 : 100 * 1024);
  }

  /** Entry point for every HTTP request. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    if (url.startsWith('/_emulator/')) {
      handleControl(req, res, this.cfg, (d, b, k, body) => this.putLegacyObject(d, b, k, body)).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
        } else res.destroy();
      });
      return;
    }
    this.serve(req, res).catch(() => {
      // Errors are answered inside serve(); anything escaping means the socket is gone.
      res.destroy();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const rawPath = qi < 0 ? url : url.slice(0, qi);
    const method = (req.method ?? 'GET').toUpperCase();
    const log: RequestLog = { time: Date.now(), method, op: 'Unknown', status: 0 };
    const ctx = {
      req,
      res,
      requestId: randomBytes(12).toString('base64url'),
      host: headerValue(req, 'host') ?? '',
      key: '',
      query: [],
      q: new Map(),
      op: 'Unknown',
      faults: [],
      log,
      dialect: 'oss',
    } as Ctx;
    // Logged in arrival order; the status is filled in as the answer starts (0 if none was sent).
    this.cfg.log.push(log);
    // A long demo session must not grow without bound.
    if (this.cfg.log.length > MAX_LOG) this.cfg.log.splice(0, this.cfg.log.length - MAX_LOG);
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      log.status = args[0] as number;
      return writeHead(...args);
    }) as typeof res.writeHead;
    try {
      ctx.query = parseQuery(qi < 0 ? '' : url.slice(qi + 1));
      for (const item of ctx.query) ctx.q.set(item.key, item.value);
      ctx.dialect = detectDialect(req, ctx.query);
      log.dialect = ctx.dialect;
      const target = resolveTarget(ctx.dialect, ctx.host, rawPath);
      ctx.bucketName = target.bucket;
      ctx.key = target.key;
      ctx.op = classify(method, target.bucket, target.key, ctx.q, req, ctx.dialect);
      log.op = ctx.op;
      log.bucket = ctx.bucketName;
      log.key = ctx.key || undefined;
      if (ctx.q.has('partNumber')) log.partNumber = Number(ctx.q.get('partNumber'));
      if (ctx.q.has('uploadId')) log.uploadId = ctx.q.get('uploadId');
      ctx.account = this.authenticate(ctx, method);
      if (ctx.op === 'Unknown' || [...ctx.q.keys()].some((k) => UNSUPPORTED.has(k))) {
        throw new EmulatorError(501, 'NotImplemented', 'This operation is not supported by the local emulator.');
      }
      ctx.faults = this.cfg.faults.take({ dialect: ctx.dialect, op: ctx.op, bucket: ctx.bucketName, key: ctx.key || undefined, partNumber: log.partNumber });
      if (ctx.faults.length) log.faults = ctx.faults.map((f) => f.kind);
      for (const f of ctx.faults) if (f.kind === 'delay') await new Promise((r) => setTimeout(r, f.ms));
      const status = ctx.faults.find((f): f is Extract<FaultAction, { kind: 'status' }> => f.kind === 'status');
      if (status) {
        const code = status.code ?? (status.status === 503 ? 'ServiceUnavailable' : status.status === 500 ? 'InternalError' : 'InjectedFault');
        throw new EmulatorError(status.status, code, 'Injected fault.');
      }
      if (this.has(ctx, 'reset') && !['PutObject', 'UploadPart', 'GetObject'].includes(ctx.op)) {
        req.socket.destroy();
        return;
      }
      await this.dispatch(ctx);
    } catch (e) {
      if (e instanceof ResetSignal) {
        req.socket.destroy();
        return;
      }
      const err = e instanceof EmulatorError ? e : new EmulatorError(500, 'InternalError', e instanceof Error ? e.message : String(e));
      await this.sendError(ctx, err);
    }
  }

  private authenticate(ctx: Ctx, method: string): Account {
    const auth = headerValue(ctx.req, 'authorization');
    if (!auth) throw new EmulatorError(403, 'AccessDenied', 'Anonymous access is forbidden for this operation.');
    const signed: SignedRequest = { method, headers: ctx.req.headers, query: ctx.query, bucket: ctx.bucketName, key: ctx.key };
    if (ctx.dialect === 'cos') return verifyCos(signed, auth, this);
    if (auth.startsWith('OSS4-HMAC-SHA256')) return verifyOssV4(signed, auth, this);
    return verifyOssV1(signed, auth, this);
  }

  private has(ctx: Ctx, kind: FaultAction['kind']): boolean {
    return ctx.faults.some((f) => f.kind === kind);
  }

  // ------------------------------------------------------------ responses

  private baseHeaders(ctx: Ctx): Record<string, string> {
    return ctx.dialect === 'cos'
      ? { server: 'tencent-cos', 'x-cos-request-id': ctx.requestId }
      : { server: 'AliyunOSS', 'x-oss-request-id': ctx.requestId };
  }

  /** The CRC header as the faults want it: real, off by one, or absent. */
  private crcHeader(ctx: Ctx, headers: Record<string, string>, crc: string | undefined): void {
    if (crc === undefined || this.has(ctx, 'omit-crc-header')) return;
    const value = this.has(ctx, 'wrong-crc-header') ? (BigInt(crc) ^ 1n).toString(10) : crc;
    headers[`x-${ctx.dialect}-hash-crc64ecma`] = value;
  }

  /** With a `drop-response` fault the work is done but the answer is lost: the connection closes instead. */
  private dropResponse(ctx: Ctx): boolean {
    if (!this.has(ctx, 'drop-response')) return false;
    ctx.req.socket.destroy();
    return true;
  }

  private send(ctx: Ctx, status: number, headers: Record<string, string>, body?: string): void {
    if (this.dropResponse(ctx)) return;
    const h = { ...this.baseHeaders(ctx), ...headers };
    if (body !== undefined) {
      const buf = Buffer.from(body, 'utf8');
      h['content-type'] ??= 'application/xml';
      h['content-length'] = String(buf.length);
      ctx.res.writeHead(status, h);
      ctx.res.end(ctx.req.method === 'HEAD' ? undefined : buf);
    } else {
      h['content-length'] ??= '0';
      ctx.res.writeHead(status, h);
      ctx.res.end();
    }
  }

  private sendXml(ctx: Ctx, root: string, node: XmlNode, headers: Record<string, string> = {}): void {
    this.send(ctx, 200, headers, xmlDocument(root, node));
  }

  private async sendError(ctx: Ctx, err: EmulatorError): Promise<void> {
    ctx.log.code = err.code;
    await drain(ctx.req);
    if (ctx.res.headersSent || ctx.res.destroyed) {
      ctx.res.destroy();
      return;
    }
    const resource = `${ctx.host}${(ctx.req.url ?? '/').split('?')[0]}`;
    const body =
      ctx.dialect === 'cos'
        ? xmlDocument('Error', { Code: err.code, Message: err.message, Resource: resource, RequestId: ctx.requestId, TraceId: ctx.requestId })
        : xmlDocument('Error', { Code: err.code, Message: err.message, RequestId: ctx.requestId, HostId: ctx.host, EC: '0000-00000000' });
    const headers: Record<string, string> = { 'content-type': 'application/xml', ...err.headers };
    if (ctx.dialect === 'oss') {
      headers['x-oss-ec'] = '0000-00000000';
      if (ctx.req.method === 'HEAD') headers['x-oss-err'] = Buffer.from(body).toString('base64');
    }
    if (ctx.req.method === 'HEAD') {
      this.send(ctx, err.status, headers);
      return;
    }
    this.send(ctx, err.status, headers, body);
  }

  // ------------------------------------------------------------ lookups

  private bucket(ctx: Ctx, name = ctx.bucketName): BucketState {
    const b = name ? this.cfg.store.getBucket(ctx.dialect, name) : undefined;
    if (!b) throw new EmulatorError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
    if (b.owner !== ctx.account?.owner) throw new EmulatorError(403, 'AccessDenied', 'Access Denied.');
    return b;
  }

  private object(b: BucketState, key: string): ObjectMeta {
    const m = b.objects.get(key);
    if (!m) throw new EmulatorError(404, 'NoSuchKey', 'The specified key does not exist.');
    return m;
  }

  private upload(ctx: Ctx, b: BucketState): UploadMeta {
    const u = b.uploads.get(ctx.q.get('uploadId') ?? '');
    if (!u || u.key !== ctx.key) {
      throw new EmulatorError(404, 'NoSuchUpload', 'The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.');
    }
    return u;
  }

  private owner(ctx: Ctx): XmlNode {
    return { ID: ctx.account?.owner === 'main' ? OWNER_ID : (ctx.account?.owner ?? OWNER_ID), DisplayName: ctx.account?.owner ?? 'main' };
  }

  // ------------------------------------------------------------ dispatch

  private async dispatch(ctx: Ctx): Promise<void> {
    switch (ctx.op) {
      case 'ListBuckets':
        return this.listBuckets(ctx);
      case 'PutBucket':
        return this.putBucket(ctx);
      case 'DeleteBucket':
        return this.deleteBucket(ctx);
      case 'HeadBucket':
        this.bucket(ctx);
        return this.send(ctx, 200, ctx.dialect === 'cos' ? { 'x-cos-bucket-region': this.cfg.cos.region } : {});
      case 'GetBucketInfo':
        return this.bucketInfo(ctx);
      case 'GetBucketLocation':
        this.bucket(ctx);
        return this.send(ctx, 200, {}, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint>${esc(this.cfg.oss.region)}</LocationConstraint>`);
      case 'ListObjects':
      case 'ListObjectsV2':
        return this.listObjects(ctx);
      case 'PutObject':
        return this.putObject(ctx);
      case 'CopyObject':
        return this.copyObject(ctx);
      case 'GetObject':
      case 'HeadObject':
        return this.getObject(ctx);
      case 'DeleteObject':
        return this.deleteObject(ctx);
      case 'DeleteMultipleObjects':
        return this.deleteMultiple(ctx);
      case 'InitiateMultipartUpload':
        return this.initiate(ctx);
      case 'UploadPart':
      case 'UploadPartCopy':
        return this.uploadPart(ctx);
      case 'CompleteMultipartUpload':
        return this.complete(ctx);
      case 'AbortMultipartUpload':
        return this.abort(ctx);
      case 'ListParts':
        return this.listParts(ctx);
      case 'ListMultipartUploads':
        return this.listUploads(ctx);
      case 'AppendObject':
        return this.append(ctx);
      case 'GetObjectMeta':
        return this.objectMeta(ctx);
      case 'PutBucketInventory':
      case 'GetBucketInventory':
      case 'ListBucketInventory':
      case 'DeleteBucketInventory':
      case 'PostBucketInventory':
        return this.inventory(ctx, ctx.op);
      default:
        throw new EmulatorError(501, 'NotImplemented', 'Not implemented.');
    }
  }

  private listBuckets(ctx: Ctx): void {
    const buckets = [...this.cfg.store.buckets.values()]
      .filter((b) => b.dialect === ctx.dialect && b.owner === ctx.account?.owner)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    if (ctx.dialect === 'cos') {
      this.sendXml(ctx, 'ListAllMyBucketsResult', {
        Owner: this.owner(ctx),
        Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, Location: this.cfg.cos.region, CreationDate: iso(b.created), BucketType: 'cos' })) },
      });
      return;
    }
    const region = this.cfg.oss.region;
    this.sendXml(ctx, 'ListAllMyBucketsResult', {
      Owner: this.owner(ctx),
      Buckets: {
        Bucket: buckets.map((b) => ({
          CreationDate: iso(b.created),
          ExtranetEndpoint: `${region}.aliyuncs.com`,
          IntranetEndpoint: `${region}-internal.aliyuncs.com`,
          Location: region,
          Name: b.name,
          Region: region.replace(/^oss-/, ''),
          StorageClass: 'Standard',
        })),
      },
    });
  }

  private async putBucket(ctx: Ctx): Promise<void> {
    await drain(ctx.req);
    const name = ctx.bucketName!;
    const valid = ctx.dialect === 'cos' ? /^[a-z0-9][a-z0-9-]{0,49}-\d+$/.test(name) : /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name);
    if (!valid) throw new EmulatorError(400, 'InvalidBucketName', 'The specified bucket is not valid.');
    if (this.cfg.store.getBucket(ctx.dialect, name)) {
      throw new EmulatorError(409, 'BucketAlreadyExists', 'The requested bucket name is not available.');
    }
    await this.cfg.store.createBucket(ctx.dialect, name, ctx.account!.owner!);
    this.send(ctx, 200, ctx.dialect === 'oss' ? { location: `/${name}` } : {});
  }

  private async deleteBucket(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    if (b.objects.size || b.uploads.size) throw new EmulatorError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.');
    await this.cfg.store.deleteBucket(b);
    this.cfg.inventory.forget(b);
    this.send(ctx, 204, {});
  }

  private bucketInfo(ctx: Ctx): void {
    const b = this.bucket(ctx);
    const region = this.cfg.oss.region;
    this.sendXml(ctx, 'BucketInfo', {
      Bucket: {
        CreationDate: iso(b.created),
        ExtranetEndpoint: `${region}.aliyuncs.com`,
        IntranetEndpoint: `${region}-internal.aliyuncs.com`,
        Location: region,
        Name: b.name,
        Region: region.replace(/^oss-/, ''),
        StorageClass: 'Standard',
        Owner: this.owner(ctx),
        AccessControlList: { Grant: 'private' },
      },
    });
  }

  private listObjects(ctx: Ctx): void {
    const b = this.bucket(ctx);
    const v2 = ctx.op === 'ListObjectsV2';
    const prefix = ctx.q.get('prefix') ?? '';
    const delimiter = ctx.q.get('delimiter') ?? '';
    const maxKeysText = ctx.q.get('max-keys');
    const maxKeys = maxKeysText === undefined || maxKeysText === '' ? 1000 : Number(maxKeysText);
    if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new EmulatorError(400, 'InvalidArgument', 'max-keys must be a non-negative integer.');
    const limit = Math.min(maxKeys, 1000);
    const token = ctx.q.get('continuation-token');
    let marker: string;
    if (v2) {
      marker = ctx.q.get('start-after') ?? '';
      if (token) {
        const decoded = Buffer.from(token, 'base64url').toString('utf8');
        if (!decoded.startsWith('k:')) throw new EmulatorError(400, 'InvalidArgument', 'The continuation token is not valid.');
        marker = decoded.slice(2);
      }
    } else marker = ctx.q.get('marker') ?? '';
    const urlEncode = ctx.q.get('encoding-type') === 'url';
    const enc = (s: string) => (urlEncode ? encodeURIComponent(s) : s);
    // UTF-8 byte order, as the services list, for sorting and for the marker alike.
    const cmp = (x: string, y: string) => Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));
    // The index lists in key order from the marker on; a folder's keys are skipped in one jump.
    let keys = b.objects.keysFrom(prefix, marker);
    const contents: ObjectMeta[] = [];
    const prefixes: string[] = [];
    let last = '';
    let truncated = false;
    for (let step = keys.next(); !step.done; step = keys.next()) {
      const k = step.value;
      let cp: string | undefined;
      if (delimiter) {
        const i = k.indexOf(delimiter, prefix.length);
        if (i >= 0) cp = k.slice(0, i + delimiter.length);
      }
      if (cp !== undefined && (cmp(cp, marker) <= 0 || prefixes[prefixes.length - 1] === cp)) {
        keys = b.objects.keysFrom(prefix, `${cp}\u{10FFFF}`);
        continue;
      }
      if (contents.length + prefixes.length >= limit) {
        truncated = true;
        break;
      }
      if (cp !== undefined) {
        prefixes.push(cp);
        last = cp;
      } else {
        contents.push(b.objects.get(k)!);
        last = k;
      }
    }
    const fetchOwner = !v2 || ctx.q.get('fetch-owner') === 'true';
    const items = contents.map((m) => {
      const node: XmlNode = { Key: enc(m.key), LastModified: iso(m.lastModified), ETag: m.etag };
      if (ctx.dialect === 'oss') node.Type = m.type;
      node.Size = m.size;
      node.StorageClass = ctx.dialect === 'cos' ? 'STANDARD' : 'Standard';
      if (fetchOwner) node.Owner = this.owner(ctx);
      return node;
    });
    const common = prefixes.map((p) => ({ Prefix: enc(p) }));
    if (v2) {
      this.sendXml(ctx, 'ListBucketResult', {
        Name: b.name,
        Prefix: enc(prefix),
        StartAfter: ctx.q.has('start-after') ? enc(ctx.q.get('start-after')!) : undefined,
        ContinuationToken: token || undefined,
        MaxKeys: maxKeys,
        Delimiter: enc(delimiter),
        EncodingType: urlEncode ? 'url' : undefined,
        IsTruncated: truncated,
        NextContinuationToken: truncated ? Buffer.from(`k:${last}`).toString('base64url') : undefined,
        KeyCount: contents.length + prefixes.length,
        Contents: items,
        CommonPrefixes: common,
      });
      return;
    }
    this.sendXml(ctx, 'ListBucketResult', {
      Name: b.name,
      EncodingType: urlEncode ? 'url' : undefined,
      Prefix: enc(prefix),
      Marker: enc(marker),
      MaxKeys: maxKeys,
      Delimiter: enc(delimiter),
      IsTruncated: truncated,
      NextMarker: truncated ? enc(last) : undefined,
      Contents: items,
      CommonPrefixes: common,
    });
  }

  /** Receive a request body per the faults (corrupt, reset) and check Content-MD5. */
  private async receiveBody(ctx: Ctx): Promise<Received> {
    const lengthText = headerValue(ctx.req, 'content-length');
    const expected = lengthText === undefined ? undefined : Number(lengthText);
    const reset = this.has(ctx, 'reset');
    const resetAt = Math.max(1, Math.floor((expected ?? 2) / 2));
    let r: Received;
    try {
      r = await this.cfg.store.receive(ctx.req, {
        corrupt: this.has(ctx, 'corrupt-upload'),
        expectedLength: expected,
        onBytes: reset
          ? (n) => {
              if (n >= resetAt) throw new ResetSignal('reset');
            }
          : undefined,
      });
    } catch (e) {
      if (e instanceof ResetSignal) throw e;
      throw new ResetSignal('client went away');
    }
    if (reset) {
      // An empty body: nothing to cut in the middle, so cut before answering.
      await this.cfg.store.discard(r.tmpPath);
      throw new ResetSignal('reset');
    }
    if (expected !== undefined && r.size !== expected) {
      await this.cfg.store.discard(r.tmpPath);
      throw new EmulatorError(400, 'IncompleteBody', 'The request body is shorter than Content-Length.');
    }
    const md5Header = headerValue(ctx.req, 'content-md5');
    if (md5Header && Buffer.from(r.md5, 'hex').toString('base64') !== md5Header.trim()) {
      await this.cfg.store.discard(r.tmpPath);
      throw new EmulatorError(400, 'InvalidDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    return r;
  }

  private async putObject(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    const r = await this.receiveBody(ctx);
    const m = await this.cfg.store.commitObject(b, r.tmpPath, {
      key: ctx.key,
      size: r.size,
      crc64: r.crc64.toString(10),
      etag: `"${r.md5}"`,
      lastModified: Date.now(),
      contentType: headerValue(ctx.req, 'content-type') || 'application/octet-stream',
      type: 'Normal',
      userMeta: userMetaFrom(ctx.req, ctx.dialect),
    });
    const headers: Record<string, string> = { etag: m.etag };
    this.crcHeader(ctx, headers, m.crc64);
    this.send(ctx, 200, headers);
  }

  /** `x-cos-copy-source: <bucket>.cos.<region>.myqcloud.com/<key>` or `x-oss-copy-source: /<bucket>/<key>`. */
  private copySource(ctx: Ctx): { bucket: BucketState; meta: ObjectMeta } {
    const raw = (headerValue(ctx.req, `x-${ctx.dialect}-copy-source`) ?? '').split('?')[0];
    let bucket: string | undefined;
    let key: string | undefined;
    const cos = /^\/?([^./]+)\.cos\.[^./]+\.(?:myqcloud\.com|tencentcos\.cn)\/(.+)$/.exec(raw);
    if (cos) {
      bucket = cos[1];
      key = decode(cos[2]);
    } else {
      const path = raw.replace(/^(?:https?:\/\/)?(?:127\.0\.0\.1|localhost)(?::\d+)?/, '').replace(/^\//, '');
      const i = path.indexOf('/');
      if (i > 0) {
        bucket = decode(path.slice(0, i));
        key = decode(path.slice(i + 1));
      }
    }
    if (!bucket || !key) throw new EmulatorError(400, 'InvalidArgument', 'The copy source is not valid.');
    const src = this.bucket(ctx, bucket);
    return { bucket: src, meta: this.object(src, key) };
  }

  private async copyObject(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    await drain(ctx.req);
    const src = this.copySource(ctx);
    const replace = (headerValue(ctx.req, `x-${ctx.dialect}-metadata-directive`) ?? '').toLowerCase() === 'replaced' ||
      (headerValue(ctx.req, `x-${ctx.dialect}-metadata-directive`) ?? '').toLowerCase() === 'replace';
    const tmp = await this.cfg.store.copyToTmp(src.bucket, src.meta);
    const m = await this.cfg.store.commitObject(b, tmp, {
      key: ctx.key,
      size: src.meta.size,
      crc64: src.meta.crc64,
      etag: src.meta.etag,
      lastModified: Date.now(),
      contentType: replace ? headerValue(ctx.req, 'content-type') || src.meta.contentType : src.meta.contentType,
      type: src.meta.type,
      userMeta: replace ? userMetaFrom(ctx.req, ctx.dialect) : src.meta.userMeta,
    });
    const headers: Record<string, string> = {};
    this.crcHeader(ctx, headers, m.crc64);
    const node: XmlNode = { ETag: m.etag, LastModified: iso(m.lastModified) };
    if (ctx.dialect === 'cos' && headers['x-cos-hash-crc64ecma']) node.CRC64 = headers['x-cos-hash-crc64ecma'];
    this.sendXml(ctx, 'CopyObjectResult', node, headers);
  }

  private parseRange(text: string | undefined, size: number): { start: number; end: number } | undefined {
    if (!text) return undefined;
    const m = /^bytes=(\d*)-(\d*)$/.exec(text.trim());
    // Like the services, a range header that cannot be parsed is ignored and the whole object is sent.
    if (!m || (m[1] === '' && m[2] === '')) return undefined;
    let start: number;
    let end: number;
    if (m[1] === '') {
      const n = Number(m[2]);
      start = Math.max(0, size - n);
      end = size - 1;
    } else {
      start = Number(m[1]);
      end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    }
    if (start >= size || start > end) {
      throw new EmulatorError(416, 'InvalidRange', 'The requested range is not satisfiable.');
    }
    return { start, end };
  }

  private objectHeaders(ctx: Ctx, m: ObjectMeta): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': m.contentType,
      etag: m.etag,
      'last-modified': new Date(m.lastModified).toUTCString(),
      'accept-ranges': 'bytes',
      ...m.userMeta,
    };
    if (ctx.dialect === 'oss') {
      headers['x-oss-object-type'] = m.type;
      headers['x-oss-storage-class'] = 'Standard';
    } else headers['x-cos-storage-class'] = 'STANDARD';
    this.crcHeader(ctx, headers, m.crc64);
    return headers;
  }

  private async getObject(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    const m = this.object(b, ctx.key);
    const headers = this.objectHeaders(ctx, m);
    const ifNoneMatch = headerValue(ctx.req, 'if-none-match');
    if (ifNoneMatch && normalizeEtag(ifNoneMatch) === normalizeEtag(m.etag)) {
      this.send(ctx, 304, headers);
      return;
    }
    const ifMatch = headerValue(ctx.req, 'if-match');
    if (ifMatch && normalizeEtag(ifMatch) !== normalizeEtag(m.etag)) {
      throw new EmulatorError(412, 'PreconditionFailed', 'At least one of the preconditions you specified did not hold.');
    }
    const range = ctx.op === 'GetObject' ? this.parseRange(headerValue(ctx.req, 'range'), m.size) : undefined;
    const start = range?.start ?? 0;
    const end = range?.end ?? m.size - 1;
    const length = end - start + 1;
    if (range) headers['content-range'] = `bytes ${start}-${end}/${m.size}`;
    const status = range ? 206 : 200;
    if (this.dropResponse(ctx)) return;
    if (ctx.op === 'HeadObject' || m.size === 0) {
      headers['content-length'] = String(ctx.op === 'HeadObject' ? m.size : 0);
      ctx.res.writeHead(status, { ...this.baseHeaders(ctx), ...headers });
      ctx.res.end();
      return;
    }
    const truncate = this.has(ctx, 'truncate-download');
    const reset = this.has(ctx, 'reset');
    const corrupt = this.has(ctx, 'corrupt-download');
    const sendLength = truncate ? Math.floor(length / 2) : length;
    headers['content-length'] = String(sendLength);
    ctx.res.writeHead(status, { ...this.baseHeaders(ctx), ...headers });
    if (sendLength === 0) {
      ctx.res.end();
      return;
    }
    const flipAt = corrupt ? Math.floor(sendLength / 2) : -1;
    let sent = 0;
    const shape = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        let out = chunk;
        if (flipAt >= sent && flipAt < sent + chunk.length) {
          out = Buffer.from(chunk);
          out[flipAt - sent] ^= 0x01;
        }
        sent += out.length;
        cb(null, out);
      },
    });
    if (reset) {
      // Send the first half, then drop the connection without ending the response.
      const socket = ctx.req.socket;
      const cut = Math.max(1, Math.floor(length / 2));
      for await (const chunk of this.cfg.store.openObject(b, m, start, start + cut - 1)) {
        if (!ctx.res.write(chunk)) await new Promise((r) => ctx.res.once('drain', r));
      }
      await new Promise((r) => setTimeout(r, 10));
      socket.destroy();
      return;
    }
    try {
      await pipeline(this.cfg.store.openObject(b, m, start, start + sendLength - 1), shape, ctx.res);
    } catch {
      ctx.res.destroy();
    }
  }

  private async deleteObject(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    await this.cfg.store.deleteObject(b, ctx.key);
    this.send(ctx, 204, {});
  }

  private async deleteMultiple(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    const text = await readSmallBody(ctx.req);
    let root;
    try {
      root = parseXml(text);
    } catch {
      throw new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
    }
    if (root.name !== 'Delete') throw new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
    const quiet = child(root, 'Quiet')?.text.trim() === 'true';
    const keys = root.children.filter((c) => c.name === 'Object').map((o) => child(o, 'Key')?.text ?? '');
    for (const k of keys) await this.cfg.store.deleteObject(b, k);
    this.sendXml(ctx, 'DeleteResult', { Deleted: quiet ? [] : keys.map((k) => ({ Key: k })) });
  }

  private async initiate(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    await drain(ctx.req);
    const u = await this.cfg.store.initiateUpload(b, ctx.key, headerValue(ctx.req, 'content-type') || 'application/octet-stream', userMetaFrom(ctx.req, ctx.dialect));
    this.sendXml(ctx, 'InitiateMultipartUploadResult', { Bucket: b.name, Key: ctx.key, UploadId: u.uploadId });
  }

  private async uploadPart(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    const u = this.upload(ctx, b);
    const partNumber = Number(ctx.q.get('partNumber'));
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
      throw new EmulatorError(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.');
    }
    if (ctx.op === 'UploadPartCopy') {
      await drain(ctx.req);
      const src = this.copySource(ctx);
      const rangeText = headerValue(ctx.req, `x-${ctx.dialect}-copy-source-range`);
      const range = this.parseRange(rangeText, src.meta.size) ?? { start: 0, end: src.meta.size - 1 };
      const r = await this.cfg.store.receive(this.cfg.store.openObject(src.bucket, src.meta, range.start, range.end));
      // A part copied from an object without CRC (a legacy object) has none either.
      const part = await this.cfg.store.commitPart(b, u, partNumber, r, src.meta.crc64 !== undefined);
      const headers: Record<string, string> = {};
      this.crcHeader(ctx, headers, part.crc64);
      const node: XmlNode = { ETag: part.etag, LastModified: iso(part.lastModified) };
      if (ctx.dialect === 'cos' && headers['x-cos-hash-crc64ecma']) node.CRC64 = headers['x-cos-hash-crc64ecma'];
      this.sendXml(ctx, 'CopyPartResult', node, headers);
      return;
    }
    const r = await this.receiveBody(ctx);
    if (!b.uploads.has(u.uploadId)) {
      await this.cfg.store.discard(r.tmpPath);
      throw new EmulatorError(404, 'NoSuchUpload', 'The specified multipart upload does not exist.');
    }
    const part = await this.cfg.store.commitPart(b, u, partNumber, r);
    const headers: Record<string, string> = { etag: part.etag };
    this.crcHeader(ctx, headers, part.crc64);
    this.send(ctx, 200, headers);
  }

  private async complete(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    const u = this.upload(ctx, b);
    const text = await readSmallBody(ctx.req);
    const malformed = () => new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
    let root;
    try {
      root = parseXml(text);
    } catch {
      throw malformed();
    }
    if (root.name !== 'CompleteMultipartUpload') throw malformed();
    const listed = root.children.filter((c) => c.name === 'Part').map((p) => {
      const n = child(p, 'PartNumber')?.text.trim();
      const e = child(p, 'ETag')?.text;
      if (!n || !/^\d+$/.test(n) || e === undefined) throw malformed();
      return { partNumber: Number(n), etag: e };
    });
    if (listed.length === 0) throw malformed();
    for (let i = 1; i < listed.length; i++) {
      if (listed[i].partNumber <= listed[i - 1].partNumber) {
        throw new EmulatorError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
      }
    }
    const parts: PartMeta[] = listed.map((l) => {
      const p = u.parts.get(l.partNumber);
      if (!p || normalizeEtag(p.etag) !== normalizeEtag(l.etag)) {
        throw new EmulatorError(400, 'InvalidPart', 'One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part\'s entity tag.');
      }
      return p;
    });
    const min = this.minPartSize(ctx.dialect);
    for (let i = 0; i < parts.length - 1; i++) {
      if (parts[i].size < min) {
        throw new EmulatorError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
      }
    }
    const m = await this.cfg.store.completeUpload(b, u, parts);
    const headers: Record<string, string> = { etag: m.etag };
    this.crcHeader(ctx, headers, m.crc64);
    this.sendXml(ctx, 'CompleteMultipartUploadResult', {
      Location: `http://${ctx.host}/${encodeURIComponent(m.key).replace(/%2F/g, '/')}`,
      Bucket: b.name,
      Key: m.key,
      ETag: m.etag,
    }, headers);
  }

  private async abort(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    const u = this.upload(ctx, b);
    await this.cfg.store.abortUpload(b, u);
    this.send(ctx, 204, {});
  }

  private listParts(ctx: Ctx): void {
    const b = this.bucket(ctx);
    const u = this.upload(ctx, b);
    const marker = Number(ctx.q.get('part-number-marker') || 0);
    const max = Math.min(Number(ctx.q.get('max-parts') || 1000), 1000);
    const all = [...u.parts.values()].sort((x, y) => x.partNumber - y.partNumber).filter((p) => p.partNumber > marker);
    const page = all.slice(0, max);
    const truncated = all.length > page.length;
    this.sendXml(ctx, 'ListPartsResult', {
      Bucket: b.name,
      Key: u.key,
      UploadId: u.uploadId,
      Initiator: this.owner(ctx),
      Owner: this.owner(ctx),
      StorageClass: ctx.dialect === 'cos' ? 'STANDARD' : 'Standard',
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1].partNumber : marker,
      MaxParts: max,
      IsTruncated: truncated,
      Part: page.map((p) => ({
        PartNumber: p.partNumber,
        LastModified: iso(p.lastModified),
        ETag: p.etag,
        HashCrc64ecma: ctx.dialect === 'oss' ? p.crc64 : undefined,
        Size: p.size,
      })),
    });
  }

  private listUploads(ctx: Ctx): void {
    const b = this.bucket(ctx);
    const prefix = ctx.q.get('prefix') ?? '';
    const keyMarker = ctx.q.get('key-marker') ?? '';
    const idMarker = ctx.q.get('upload-id-marker') ?? '';
    const max = Math.min(Number(ctx.q.get('max-uploads') || 1000), 1000);
    const all = [...b.uploads.values()]
      .filter((u) => u.key.startsWith(prefix))
      .filter((u) => u.key > keyMarker || (u.key === keyMarker && idMarker !== '' && u.uploadId > idMarker))
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.uploadId < y.uploadId ? -1 : 1));
    const page = all.slice(0, max);
    const truncated = all.length > page.length;
    const last = page[page.length - 1];
    this.sendXml(ctx, 'ListMultipartUploadsResult', {
      Bucket: b.name,
      KeyMarker: keyMarker,
      UploadIdMarker: idMarker,
      NextKeyMarker: truncated ? last.key : '',
      NextUploadIdMarker: truncated ? last.uploadId : '',
      Prefix: prefix,
      Delimiter: ctx.q.get('delimiter') ?? '',
      MaxUploads: max,
      IsTruncated: truncated,
      Upload: page.map((u) => ({
        Key: u.key,
        UploadId: u.uploadId,
        StorageClass: ctx.dialect === 'cos' ? 'STANDARD' : 'Standard',
        Initiator: this.owner(ctx),
        Owner: this.owner(ctx),
        Initiated: iso(u.initiated),
      })),
    });
  }

  private async append(ctx: Ctx): Promise<void> {
    const b = this.bucket(ctx);
    const position = checkAppend(b, ctx.key, ctx.q.get('position'));
    const r = await this.receiveBody(ctx);
    const m = await appendReceived(this.cfg.store, b, ctx.key, position, r, {
      contentType: headerValue(ctx.req, 'content-type') || 'application/octet-stream',
      userMeta: userMetaFrom(ctx.req, ctx.dialect),
    });
    const headers: Record<string, string> = { etag: m.etag, 'x-oss-next-append-position': String(m.size) };
    this.crcHeader(ctx, headers, m.crc64);
    this.send(ctx, 200, headers);
  }

  /** OSS GetObjectMeta: the object's length, ETag, Last-Modified and CRC-64, without the other headers. */
  private objectMeta(ctx: Ctx): void {
    const m = this.object(this.bucket(ctx), ctx.key);
    const modified = new Date(m.lastModified).toUTCString();
    const headers: Record<string, string> = { 'content-length': String(m.size), etag: m.etag, 'last-modified': modified, 'x-oss-last-access-time': modified };
    this.crcHeader(ctx, headers, m.crc64);
    this.send(ctx, 200, headers);
  }

  private async inventory(ctx: Ctx, op: InventoryOperation): Promise<void> {
    const b = this.bucket(ctx);
    const body = op === 'PutBucketInventory' || op === 'PostBucketInventory' ? await readSmallBody(ctx.req) : '';
    await drain(ctx.req);
    const deps = { store: this.cfg.store, registry: this.cfg.inventory, appId: this.cfg.cos.appId, rowsPerFile: this.cfg.inventoryRowsPerFile };
    const reply = await serveInventory(deps, { dialect: ctx.dialect, op, bucket: b, q: ctx.q, body });
    this.send(ctx, reply.status, {}, reply.body);
  }

  /** Store an object without CRC (the in-process API and the HTTP control API share this). */
  async putLegacyObject(dialect: Dialect, bucketName: string, key: string, body: Readable): Promise<ObjectMeta> {
    const b = this.cfg.store.getBucket(dialect, bucketName);
    if (!b) throw new Error(`no ${dialect} bucket "${bucketName}"`);
    const r = await this.cfg.store.receive(body);
    return this.cfg.store.commitObject(b, r.tmpPath, {
      key,
      size: r.size,
      crc64: undefined,
      etag: `"${r.md5}"`,
      lastModified: Date.now(),
      contentType: 'application/octet-stream',
      type: 'Normal',
      userMeta: {},
    });
  }
}
