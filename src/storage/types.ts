import type { Readable } from 'node:stream';

/**
 * One small object-store interface that both clouds implement. Cloud differences (header names, error
 * codes, signing, retries) stay inside the adapters; everything above this line is cloud-neutral.
 */

export type ProviderKind = 'cos' | 'oss';

export interface Credentials {
  /** COS SecretId / OSS AccessKeyId. */
  accessKeyId: string;
  /** COS SecretKey / OSS AccessKeySecret. Never logged, never put in an error. */
  secretAccessKey: string;
  /** STS session token, when the keys are temporary. */
  sessionToken?: string;
}

export interface ConnectionOptions {
  provider: ProviderKind;
  region: string;
  /**
   * Optional endpoint override, e.g. `http://127.0.0.1:9000` for the local emulator or a private
   * endpoint. Without it the public endpoint of the region is used.
   */
  endpoint?: string;
  /**
   * The user allowed a plain `http://` endpoint that is not loopback (keys and tokens travel in clear);
   * without it such an endpoint is refused (`insecureEndpointProblem`).
   */
  allowInsecureEndpoint?: boolean;
  credentials: Credentials;
  /**
   * Time one attempt may take until the response headers arrive (a body being read then has the same
   * time as an idle limit), in ms. Default 120 000.
   */
  timeoutMs?: number;
  /**
   * Total time of one call, every attempt and backoff included, in ms: the last attempt is cut short and
   * no backoff runs past it. Default 300 000 (five minutes).
   */
  deadlineMs?: number;
  /** Retries for transient failures (5xx, resets, timeouts), with backoff. Default 3. */
  maxRetries?: number;
  /** First backoff ceiling in ms (doubles per retry, with jitter). Default 200. */
  retryBaseDelayMs?: number;
  /**
   * An SSE-C customer key (base64 of 32 bytes) sent with every HEAD, GET and copy, so objects written with
   * it can be read; copies are written with it too. A secret like the keys: never logged, never in an error.
   */
  customerKey?: string;
  /** Name of the profile these options come from; named in error hints ("check the keys of profile X"). */
  profileName?: string;
  /** Receives one line per notable event (retries). Never given a secret. */
  log?: (line: string) => void;
}

export interface BucketInfo {
  name: string;
  region?: string;
  creationDate?: Date;
}

/** Normalized object metadata, the same for both clouds. */
export interface ObjectInfo {
  key: string;
  size: number;
  lastModified?: Date;
  etag?: string;
  storageClass?: string;
  /** CRC-64/XZ as an unsigned decimal string; absent for objects stored without one. */
  crc64?: string;
  /** An archived object's restore, as HEAD / GET tell it (`x-cos-restore` / `x-oss-restore`); see ./objectState.ts. */
  restore?: { ongoing: boolean; expiry?: Date };
  /** Server-side encryption as HEAD / GET tell it: `AES256`, `KMS`, `cos/kms`… or `SSE-C` (a customer key). */
  encryption?: string;
  /** In a versioned bucket: the version this information is about (`null` for one written unversioned). */
  versionId?: string;
  /** `Normal`, `Multipart`, `Appendable` or `Symlink` (OSS), when the service says. */
  objectType?: string;
  /** An appendable object: where the next append must start (its length). */
  nextAppendPosition?: number;
  /**
   * Where `nextAppendPosition` comes from: the service's `next-append-position` header (OSS HEAD, both
   * clouds' append answers), or the object's length where the answer has none (COS HEAD Object lists no
   * such header; COS APPEND Object: "for subsequent appends, the value is the content-length").
   */
  nextAppendPositionFrom?: 'header' | 'length';
  /** A symlink (OSS): the key it points to, when read (GetSymlink). */
  symlinkTarget?: string;
}

/** Read one version of an object (HEAD, GET, the source of a copy) rather than its current one. */
export interface VersionOptions {
  /** The version's id, as the versions listing gives it. */
  versionId?: string;
}

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  /** Opaque token from a previous page's `nextPageToken`. */
  pageToken?: string;
  /** List only keys after this one (ignored with a `pageToken`): where a range of keys starts. */
  startAfter?: string;
  pageSize?: number;
  signal?: AbortSignal;
}

export interface ListPage {
  objects: ObjectInfo[];
  /** Common prefixes ("folders") when a delimiter was given, each ending with the delimiter. */
  prefixes: string[];
  /** Present when there are more results. */
  nextPageToken?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface GetOptions extends RequestOptions, VersionOptions {
  /** Inclusive byte range. */
  range?: { start: number; end: number };
}

export interface GetResult {
  /** Metadata from the response headers; `crc64` is the whole object's, even for a range. */
  info: ObjectInfo;
  body: Readable;
}

export interface PutResult {
  etag?: string;
  /** The CRC-64 the service computed over what it stored, if it returned one. */
  crc64?: string;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
  /** The service's CRC-64 of this part, if it returned one. */
  crc64?: string;
  size?: number;
}

export interface CompleteResult {
  etag?: string;
  /** Whole-object CRC-64; absent when any part had none. */
  crc64?: string;
}

export interface CopyOptions extends RequestOptions {
  /** Copy only while the source's ETag is still this one; otherwise a `precondition-failed` error. */
  ifMatch?: string;
  /** Copy this version of the source instead of its current one. */
  sourceVersionId?: string;
}

export interface CopyResult {
  etag?: string;
  /**
   * The CRC-64 the service reports for what it stored; absent when it gave none (COS gives one only when
   * the source had one; OSS copies may have none).
   */
  crc64?: string;
}

/** The source of an Upload Part Copy: a byte range of an object in the same account and region. */
export interface PartCopySource extends CopyOptions {
  srcBucket: string;
  srcKey: string;
  /** Inclusive byte range of the source. */
  range: { start: number; end: number };
}

export interface AppendResult {
  /** The object's length after the append: the position of the next append. */
  nextPosition: number;
  /** The service's CRC-64 of the WHOLE object after the append, if it returned one. */
  crc64?: string;
  etag?: string;
}

/** What a batch delete did: the keys the service reports deleted, and those it refused with its reason. */
export interface DeleteObjectsResult {
  deleted: string[];
  failed: Array<{ key: string; code?: string; message: string }>;
}

/** Optional inventory report columns, named the same for both clouds. */
export type InventoryField = 'Size' | 'LastModified' | 'ETag' | 'StorageClass' | 'Crc64' | 'IsMultipartUploaded';

export interface InventoryDestination {
  /** Bucket the reports are written to (COS: with its `-APPID`), in the same region as the source. */
  bucket: string;
  /** Key prefix of the reports in that bucket. */
  prefix?: string;
  /** Account that owns the destination bucket (COS: its UIN; OSS: its account id), when the service asks for it. */
  accountId?: string;
  /** OSS: the RAM role the service takes on to write the reports (the name in `acs:ram::<account>:role/<name>`). */
  roleName?: string;
}

/** An inventory configuration, cloud-neutral: which objects are listed, with which fields, where to. */
export interface InventoryConfig {
  /** Letters, digits, `-`, `_` and `.`, at most 64. */
  id: string;
  /** Whether reports are produced on the schedule. Default true. */
  enabled?: boolean;
  destination: InventoryDestination;
  format: 'CSV';
  /** Monthly is read back as such (OSS `Monthly` with `DayOfMonth`); this project configures Daily. */
  frequency: 'Daily' | 'Weekly' | 'Monthly';
  /** Monthly: the day of the month a run starts (OSS `DayOfMonth`, COS `MonthlyDate`), when set. */
  dayOfMonth?: number;
  fields: InventoryField[];
  /** Only objects whose keys start with this. */
  prefix?: string;
  /** Object versions to list. Default `Current`. */
  includedVersions?: 'Current' | 'All';
}

/**
 * What every cloud can do. What only some can (append, GetObjectMeta, a one-time inventory) is an optional
 * capability with a type guard (./capabilities.ts).
 *
 * Every call runs under the connection's one retry policy and deadline and fails only with a
 * `StorageError` (or `CancelledError` when its signal aborts). A bucket or object that is missing fails
 * with `no-such-bucket` / `no-such-key`, whichever it really is.
 */
export interface ObjectStore {
  readonly provider: ProviderKind;
  /** Every bucket the keys can see (all pages). */
  listBuckets(options?: RequestOptions): Promise<BucketInfo[]>;
  /** One page of a bucket's objects; listings carry no CRC-64 (HEAD or an inventory does). */
  list(bucket: string, options?: ListOptions): Promise<ListPage>;
  head(bucket: string, key: string, options?: RequestOptions & VersionOptions): Promise<ObjectInfo>;
  /** Opens the object (retried like any call); the body then streams and is never re-sent behind the caller's back. */
  get(bucket: string, key: string, options?: GetOptions): Promise<GetResult>;
  put(bucket: string, key: string, body: Buffer, options?: RequestOptions): Promise<PutResult>;
  deleteObject(bucket: string, key: string, options?: RequestOptions): Promise<void>;
  /**
   * Deletes up to 1,000 keys in one request (COS Delete Multiple Objects, OSS DeleteMultipleObjects). Keys
   * that did not exist count as deleted, as the services report them.
   */
  deleteObjects(bucket: string, keys: readonly string[], options?: RequestOptions): Promise<DeleteObjectsResult>;
  /** Creates a bucket in the connection's region; the name is checked first (`bucketNameProblem`). */
  createBucket(bucket: string, options?: RequestOptions): Promise<void>;
  /**
   * The object's address without a signature (opens only for a public-read object): the public endpoint
   * (`https://<bucket>.cos.<region>.myqcloud.com/<key>`, `https://<bucket>.oss-<region>.aliyuncs.com/<key>`),
   * or `<endpoint>/<bucket>/<key>` (path style) when the connection has an endpoint.
   */
  objectUrl(bucket: string, key: string): string;
  /**
   * A GET URL signed with the connection's keys, valid for `expiresSeconds` (1 s to 7 days). It carries a
   * signature: never log it.
   */
  presignedUrl(bucket: string, key: string, expiresSeconds: number): string;
  createMultipartUpload(bucket: string, key: string, options?: RequestOptions): Promise<{ uploadId: string }>;
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    options?: RequestOptions,
  ): Promise<UploadedPart>;
  /** The parts the service holds for an upload (all pages), by part number. */
  listParts(bucket: string, key: string, uploadId: string, options?: RequestOptions): Promise<UploadedPart[]>;
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: ReadonlyArray<{ partNumber: number; etag: string }>,
    options?: RequestOptions,
  ): Promise<CompleteResult>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string, options?: RequestOptions): Promise<void>;
  /**
   * Server-side copy of a whole object (COS PUT Object - Copy, OSS CopyObject), both buckets in this
   * connection's account and region; no byte passes through here.
   */
  copyObject(srcBucket: string, srcKey: string, dstBucket: string, dstKey: string, options?: CopyOptions): Promise<CopyResult>;
  /** One part of a multipart upload copied server-side from a range of another object. */
  uploadPartCopy(bucket: string, key: string, uploadId: string, partNumber: number, source: PartCopySource): Promise<UploadedPart>;
  /** Create or replace the inventory configuration `config.id` of a bucket. */
  putInventory(bucket: string, config: InventoryConfig, options?: RequestOptions): Promise<void>;
  /** One inventory configuration; a missing one is a `no-such-inventory` error. */
  getInventory(bucket: string, id: string, options?: RequestOptions): Promise<InventoryConfig>;
  /** Every inventory configuration of a bucket (all pages). */
  listInventories(bucket: string, options?: RequestOptions): Promise<InventoryConfig[]>;
  deleteInventory(bucket: string, id: string, options?: RequestOptions): Promise<void>;
}
