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
}

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  /** Opaque token from a previous page's `nextPageToken`. */
  pageToken?: string;
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

export interface GetOptions extends RequestOptions {
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

export interface ObjectStore {
  readonly provider: ProviderKind;
  listBuckets(options?: RequestOptions): Promise<BucketInfo[]>;
  list(bucket: string, options?: ListOptions): Promise<ListPage>;
  head(bucket: string, key: string, options?: RequestOptions): Promise<ObjectInfo>;
  get(bucket: string, key: string, options?: GetOptions): Promise<GetResult>;
  put(bucket: string, key: string, body: Buffer, options?: RequestOptions): Promise<PutResult>;
  deleteObject(bucket: string, key: string, options?: RequestOptions): Promise<void>;
  createMultipartUpload(bucket: string, key: string, options?: RequestOptions): Promise<{ uploadId: string }>;
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    options?: RequestOptions,
  ): Promise<UploadedPart>;
  listParts(bucket: string, key: string, uploadId: string, options?: RequestOptions): Promise<UploadedPart[]>;
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: ReadonlyArray<{ partNumber: number; etag: string }>,
    options?: RequestOptions,
  ): Promise<CompleteResult>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string, options?: RequestOptions): Promise<void>;
}
