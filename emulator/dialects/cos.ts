import { cosQueryAuthorization, verifyCos, type AccountBook, type SignedRequest } from '../auth';
import { EmulatorError } from '../errors';
import { decode, type QueryItem } from '../request';
import type { BucketState, ObjectMeta } from '../store';
import type { Account, CosCredentials } from '../types';
import { esc, type XmlNode } from '../xml';
import { iso, pathCopySource, typeByExtension, type Dialect, type ErrorPlace } from './dialect';

/** Longest `<bucket>.cos.<region>.myqcloud.com` the service accepts, which bounds a bucket name. */
const MAX_BUCKET_DOMAIN = 60;

/** Tencent Cloud COS. */
export class CosDialect implements Dialect {
  readonly name = 'cos' as const;
  readonly region: string;
  readonly minPartSize: number;
  readonly storageClass = 'STANDARD';
  readonly copyNotModifiedStatus = 412;

  constructor(
    private readonly creds: CosCredentials,
    minPartSize?: number,
  ) {
    this.region = creds.region;
    this.minPartSize = minPartSize ?? 1024 * 1024;
  }

  header(name: string): string {
    return `x-cos-${name}`;
  }

  signedBy(authorization: string, query: QueryItem[]): boolean {
    return authorization.startsWith('q-sign-algorithm=') || (!authorization && query.some((q) => q.key === 'q-sign-algorithm'));
  }

  ownsHost(host: string): boolean {
    return /myqcloud\.com|tencentcos\.cn/.test(host);
  }

  virtualHost(host: string): { bucket?: string } | undefined {
    const m = /^(.+?)\.cos\.([^.]+)\.(myqcloud\.com|tencentcos\.cn)$/.exec(host);
    if (m) return { bucket: m[1] };
    if (/^(service\.cos|cos\.[^.]+)\.(myqcloud\.com|tencentcos\.cn)$/.test(host)) return {};
    return undefined;
  }

  verify(req: SignedRequest, authorization: string, book: AccountBook): Account {
    const auth = authorization || cosQueryAuthorization(req.query);
    if (!auth) throw new EmulatorError(403, 'AccessDenied', 'Anonymous access is forbidden for this operation.');
    return verifyCos(req, auth, book);
  }

  /** `<name>-<APPID>`: the account's APPID, a name of lowercase letters, digits and inner hyphens, a domain of at most 60 characters. */
  checkBucketName(bucket: string, appId = this.creds.appId): void {
    const m = /^([a-z0-9-]+)-(\d+)$/.exec(bucket);
    if (!m || m[1].startsWith('-') || m[1].endsWith('-')) {
      throw new EmulatorError(400, 'InvalidBucketName', 'The specified bucket is not valid.');
    }
    if (m[2] !== appId) {
      throw new EmulatorError(
        400,
        'InvalidBucketName',
        `The specified bucket is not valid: its APPID is not that of this account (${appId}).`,
      );
    }
    if (`${bucket}.cos.${this.region}.myqcloud.com`.length > MAX_BUCKET_DOMAIN) {
      throw new EmulatorError(
        400,
        'InvalidBucketName',
        `The specified bucket is not valid: ${bucket}.cos.${this.region}.myqcloud.com is longer than ${MAX_BUCKET_DOMAIN} characters.`,
      );
    }
  }

  /** `<bucket>.cos.<region>.myqcloud.com/<key>`, or the path form. */
  parseCopySource(raw: string): { bucket: string; key: string } | undefined {
    const m = /^\/?([^./]+)\.cos\.[^./]+\.(?:myqcloud\.com|tencentcos\.cn)\/(.+)$/.exec(raw);
    if (m) return { bucket: m[1], key: decode(m[2]) };
    return pathCopySource(raw);
  }

  baseHeaders(requestId: string): Record<string, string> {
    return { server: 'tencent-cos', 'x-cos-request-id': requestId };
  }

  errorResponse(err: EmulatorError, at: ErrorPlace): { headers: Record<string, string>; body: string } {
    // As documented (vendor-examples/errors.md, COS "错误码" and GET Object's InvalidObjectState example):
    // a single-quoted declaration, tab-indented Code, Message, Resource, RequestId, TraceId.
    const fields = {
      Code: err.code,
      Message: err.message,
      Resource: at.resource,
      RequestId: at.requestId,
      TraceId: Buffer.from(at.requestId).toString('base64'),
    };
    const body = `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n${Object.entries(fields)
      .map(([k, v]) => `\t\t\t<${k}>${esc(v)}</${k}>\n`)
      .join('')}</Error>`;
    return { headers: { 'content-type': 'application/xml' }, body };
  }

  listBuckets(buckets: BucketState[], owner: XmlNode): XmlNode {
    return {
      Owner: owner,
      Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, Location: this.region, CreationDate: iso(b.created), BucketType: 'cos' })) },
    };
  }

  headBucketHeaders(): Record<string, string> {
    return { 'x-cos-bucket-region': this.region };
  }

  createdBucketHeaders(): Record<string, string> {
    return {};
  }

  /** Lower-case hex, as PUT Object's documented answer: `ETag: "ee8de918d05640145b18f70f4c3aa602"`. */
  objectEtag(md5: string): string {
    return `"${md5}"`;
  }

  /**
   * COS resolves `.` and `..` segments and runs of `/` in an object's path, as cos-nodejs-sdk-v5's
   * `util.simplifyPath` mirrors (its getObject refuses a key that resolves to the bucket itself: "The
   * Getobject Key is illegal"). A trailing `/` (a folder object) is kept.
   */
  normalizeKey(key: string): string {
    if (!/(^|\/)\.{1,2}(\/|$)|\/\//.test(key) && !key.startsWith('/')) return key;
    const stack: string[] = [];
    for (const name of key.split('/')) {
      if (name === '..') stack.pop();
      else if (name && name !== '.') stack.push(name);
    }
    const folder = key.endsWith('/') && stack.length > 0;
    return stack.join('/') + (folder ? '/' : '');
  }

  /** COS sets Content-Type from the key when none is sent (cos-nodejs-sdk-v5 test.js: `1.zip` is application/zip). */
  defaultContentType(key: string): string {
    return typeByExtension(key) ?? 'application/octet-stream';
  }

  objectHeaders(m: ObjectMeta): Record<string, string> {
    // APPEND Object: "x-cos-object-type: appendable" on HEAD (cos-nodejs-sdk-v5 test.js appendObject).
    return { 'x-cos-storage-class': this.storageClass, ...(m.type === 'Appendable' ? { 'x-cos-object-type': 'appendable' } : {}) };
  }

  listedObjectFields(): XmlNode {
    return {};
  }

  copyResultFields(crc: string | undefined): XmlNode {
    return crc ? { CRC64: crc } : {};
  }

  partCopyHeaders(): Record<string, string> {
    return {};
  }

  listedPartFields(): XmlNode {
    return {};
  }
}
