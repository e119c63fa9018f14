import { verifyOssV1, verifyOssV1Query, verifyOssV4, type AccountBook, type SignedRequest } from '../auth';
import type { QueryItem } from '../request';
import { EmulatorError } from '../errors';
import type { BucketState, ObjectMeta, PartMeta } from '../store';
import type { Account, OssCredentials } from '../types';
import { xmlDocument, type XmlNode } from '../xml';
import { iso, pathCopySource, type Dialect, type ErrorPlace } from './dialect';

/** Error code OSS puts in every error answer (`x-oss-ec` and the body's `EC`). */
const EC = '0000-00000000';

/** Alibaba Cloud OSS. */
export class OssDialect implements Dialect {
  readonly name = 'oss' as const;
  readonly region: string;
  readonly minPartSize: number;
  readonly storageClass = 'Standard';
  readonly copyNotModifiedStatus = 304;

  constructor(creds: OssCredentials, minPartSize?: number) {
    this.region = creds.region;
    this.minPartSize = minPartSize ?? 100 * 1024;
  }

  header(name: string): string {
    return `x-oss-${name}`;
  }

  signedBy(authorization: string, query: QueryItem[] = []): boolean {
    return (
      authorization.startsWith('OSS ') ||
      authorization.startsWith('OSS4-HMAC-SHA256') ||
      (!authorization && query.some((q) => q.key === 'OSSAccessKeyId'))
    );
  }

  ownsHost(host: string): boolean {
    return /aliyuncs\.com/.test(host);
  }

  /** `<bucket>.oss-<region>[-internal].aliyuncs.com`, `oss-<region>.aliyuncs.com`, or `<bucket>.localhost`. */
  virtualHost(host: string): { bucket?: string } | undefined {
    const m = /^(.*)\.(oss-[^.]+?)(-internal)?\.aliyuncs\.com$/.exec(host);
    if (m) return { bucket: m[1] || undefined };
    if (/^oss-[^.]+\.aliyuncs\.com$/.test(host)) return {};
    const local = /^([a-z0-9][a-z0-9-]*)\.localhost$/.exec(host);
    if (local) return { bucket: local[1] };
    return undefined;
  }

  verify(req: SignedRequest, authorization: string, book: AccountBook): Account {
    if (!authorization) return verifyOssV1Query(req, book);
    if (authorization.startsWith('OSS4-HMAC-SHA256')) return verifyOssV4(req, authorization, book);
    return verifyOssV1(req, authorization, book);
  }

  checkBucketName(name: string): void {
    const valid = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name);
    if (!valid) throw new EmulatorError(400, 'InvalidBucketName', 'The specified bucket is not valid.');
  }

  /** `/<bucket>/<key>` */
  parseCopySource(raw: string): { bucket: string; key: string } | undefined {
    return pathCopySource(raw);
  }

  baseHeaders(requestId: string): Record<string, string> {
    return { server: 'AliyunOSS', 'x-oss-request-id': requestId };
  }

  errorResponse(err: EmulatorError, at: ErrorPlace): { headers: Record<string, string>; body: string } {
    const ec = err.ec ?? EC;
    // Code, Message, RequestId, HostId, EC, RecommendDoc (vendor-examples/errors.md, OSS "Error responses").
    const body = xmlDocument('Error', {
      Code: err.code,
      Message: err.message,
      RequestId: at.requestId,
      HostId: at.host,
      EC: ec,
      RecommendDoc: `https://api.aliyun.com/troubleshoot?q=${ec}`,
    });
    const headers: Record<string, string> = { 'content-type': 'application/xml', 'x-oss-ec': ec };
    // A HEAD answer has no body, so OSS sends the error document base64-encoded in a header.
    if (at.head) headers['x-oss-err'] = Buffer.from(body).toString('base64');
    return { headers, body };
  }

  private bucketFields(b: BucketState): XmlNode {
    return {
      CreationDate: iso(b.created),
      ExtranetEndpoint: `${this.region}.aliyuncs.com`,
      IntranetEndpoint: `${this.region}-internal.aliyuncs.com`,
      Location: this.region,
      Name: b.name,
      Region: this.region.replace(/^oss-/, ''),
      StorageClass: this.storageClass,
    };
  }

  listBuckets(buckets: BucketState[], owner: XmlNode): XmlNode {
    return { Owner: owner, Buckets: { Bucket: buckets.map((b) => this.bucketFields(b)) } };
  }

  /** GetBucketInfo, an OSS-only call. */
  bucketInfo(b: BucketState, owner: XmlNode): XmlNode {
    return { Bucket: { ...this.bucketFields(b), Owner: owner, AccessControlList: { Grant: 'private' } } };
  }

  headBucketHeaders(): Record<string, string> {
    return {};
  }

  createdBucketHeaders(name: string): Record<string, string> {
    return { location: `/${name}` };
  }

  /** Upper-case hex, as PutObject's documented answer: `ETag: "D41D8CD98F00B204E9800998ECF8****"` (vendor-examples/crc-headers.md). */
  objectEtag(md5: string): string {
    return `"${md5.toUpperCase()}"`;
  }

  normalizeKey(key: string): string {
    return key;
  }

  defaultContentType(): string {
    return 'application/octet-stream';
  }

  /** HEAD of an Appendable object carries `x-oss-next-append-position` (vendor-examples/crc-headers.md, OSS AppendObject). */
  objectHeaders(m: ObjectMeta): Record<string, string> {
    return {
      'x-oss-object-type': m.type,
      'x-oss-storage-class': this.storageClass,
      ...(m.type === 'Appendable' ? { 'x-oss-next-append-position': String(m.size) } : {}),
    };
  }

  listedObjectFields(m: ObjectMeta): XmlNode {
    return { Type: m.type };
  }

  copyResultFields(): XmlNode {
    return {};
  }

  /** OSS repeats the part's ETag in a header; ali-oss reads it only there. */
  partCopyHeaders(part: PartMeta): Record<string, string> {
    return { etag: part.etag };
  }

  listedPartFields(p: PartMeta): XmlNode {
    return { HashCrc64ecma: p.crc64 };
  }
}
