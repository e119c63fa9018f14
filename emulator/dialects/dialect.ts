import type { AccountBook, SignedRequest } from '../auth';
import type { EmulatorError } from '../errors';
import { decode, type QueryItem } from '../request';
import type { BucketState, ObjectMeta, PartMeta } from '../store';
import type { Account, DialectName } from '../types';
import type { XmlNode } from '../xml';

/**
 * Everything in which COS and OSS differ, behind one object per service: the handlers ask the request's
 * dialect instead of testing which service they serve.
 */
export interface Dialect {
  readonly name: DialectName;
  /** Region named in listings and bucket headers. */
  readonly region: string;
  /** Smallest size of a part other than the last one at Complete (EntityTooSmall below it). */
  readonly minPartSize: number;
  /** Storage class as this service spells it in listings. */
  readonly storageClass: string;
  /**
   * The answer to a copy whose source fails If-None-Match or If-Modified-Since: COS documents 412
   * PreconditionFailed for every copy-source condition, OSS 304 Not Modified for these two.
   */
  readonly copyNotModifiedStatus: 304 | 412;

  /** The service's own header for `name`: `x-cos-<name>` or `x-oss-<name>`. */
  header(name: string): string;

  /** Whether the request is signed the way this service signs (Authorization header or query). */
  signedBy(authorization: string, query: QueryItem[]): boolean;
  /** Whether the Host is one of this service's domains. */
  ownsHost(host: string): boolean;
  /**
   * The bucket named by a virtual-hosted Host (`bucket: undefined` for the service's own host), or
   * undefined when the Host is not virtual-hosted and the bucket is the first path segment.
   */
  virtualHost(host: string): { bucket?: string } | undefined;
  /** Check the request's signature; returns the account it was signed with. */
  verify(req: SignedRequest, authorization: string, book: AccountBook): Account;

  /** Throws the service's InvalidBucketName unless a bucket of this name may be created (by the account of `appId`, COS). */
  checkBucketName(name: string, appId?: string): void;
  /** `x-cos-copy-source` / `x-oss-copy-source` as bucket and key, or undefined if it is not this service's form. */
  parseCopySource(raw: string): { bucket: string; key: string } | undefined;

  /** Headers on every answer: server name and request id. */
  baseHeaders(requestId: string): Record<string, string>;
  /** The error answer: body and the headers that go with it (a HEAD answer sends the headers only). */
  errorResponse(err: EmulatorError, at: ErrorPlace): { headers: Record<string, string>; body: string };

  /** GetBucketInfo result (below the root element), for the service that has the call. */
  bucketInfo?(b: BucketState, owner: XmlNode): XmlNode;
  /** ListBuckets result (below the root element). */
  listBuckets(buckets: BucketState[], owner: XmlNode): XmlNode;
  /** Headers of a HeadBucket answer. */
  headBucketHeaders(): Record<string, string>;
  /** Headers of a PutBucket answer. */
  createdBucketHeaders(name: string): Record<string, string>;
  /** The key a request names, as the service stores it (after its signature was checked against the key as sent). */
  normalizeKey(key: string): string;
  /** The ETag of an object written in one request, from the hex MD5 of its bytes. */
  objectEtag(md5: string): string;
  /** Content-Type of an object written without one (COS guesses it from the key's extension). */
  defaultContentType(key: string): string;
  /** Headers of GET/HEAD Object beyond the common ones (object type, storage class, next append position). */
  objectHeaders(m: ObjectMeta): Record<string, string>;
  /** Fields of a listed object between ETag and Size (OSS lists the object type). */
  listedObjectFields(m: ObjectMeta): XmlNode;
  /** CopyObject / UploadPartCopy result fields beyond ETag and LastModified (COS repeats the CRC in the body). */
  copyResultFields(crcHeaderValue: string | undefined): XmlNode;
  /** Headers of an UploadPartCopy answer beyond the CRC (OSS sends the part's ETag as a header too). */
  partCopyHeaders(part: PartMeta): Record<string, string>;
  /** Fields of a ListParts entry beyond number, date, ETag and size (OSS lists each part's CRC). */
  listedPartFields(p: PartMeta): XmlNode;
}

/** Where an error happened, for its error document. */
export interface ErrorPlace {
  /** Host and path of the request. */
  resource: string;
  requestId: string;
  host: string;
  /** A HEAD answer has no body. */
  head: boolean;
}

/** The two dialects of one emulator, configured with its credentials and regions. */
export interface Dialects {
  cos: Dialect;
  oss: Dialect;
}

/** `/bucket/key` (optionally after `http://127.0.0.1:PORT`), the path form of a copy source. */
export function pathCopySource(raw: string): { bucket: string; key: string } | undefined {
  const path = raw.replace(/^(?:https?:\/\/)?(?:127\.0\.0\.1|localhost)(?::\d+)?/, '').replace(/^\//, '');
  const i = path.indexOf('/');
  if (i <= 0 || i === path.length - 1) return undefined;
  return { bucket: decode(path.slice(0, i)), key: decode(path.slice(i + 1)) };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Common types by extension, for a service that guesses Content-Type from the key. */
const TYPES: Record<string, string> = {
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  json: 'application/json',
  xml: 'application/xml',
  pdf: 'application/pdf',
  js: 'application/javascript',
  txt: 'text/plain',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  csv: 'text/csv',
  md: 'text/markdown',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  wasm: 'application/wasm',
};

export function typeByExtension(key: string): string | undefined {
  const m = /\.([A-Za-z0-9]+)$/.exec(key);
  return m ? TYPES[m[1].toLowerCase()] : undefined;
}
