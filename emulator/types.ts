/** Shared types of the local COS + OSS emulator. */

/** The two services the emulator speaks; each has one dialect object in `dialects/`. */
export type DialectName = 'cos' | 'oss';

/** Operation names used by fault rules and the request log (the services' own API names). */
export type Operation =
  | 'ListBuckets'
  | 'PutBucket'
  | 'DeleteBucket'
  | 'HeadBucket'
  | 'GetBucketInfo'
  | 'GetBucketLocation'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'PutObject'
  | 'CopyObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'DeleteMultipleObjects'
  | 'InitiateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListMultipartUploads'
  | 'Unknown';

export type FaultAction =
  | { kind: 'status'; status: number; code?: string }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  /** Flips a byte of the received body before it is stored: the server's CRC reflects the corrupted bytes. */
  | { kind: 'corrupt-upload' }
  /** Flips a byte of a GET body; headers (length, CRC) stay those of the stored object. */
  | { kind: 'corrupt-download' }
  /** Sends only the first half of a GET body, then closes the connection. */
  | { kind: 'truncate-download' }
  /** Sends a CRC header that is off by one from the real value. */
  | { kind: 'wrong-crc-header' }
  /** Leaves the CRC header out of the response. */
  | { kind: 'omit-crc-header' }
  /** Does the work (stores the object, completes the upload, …) but closes the connection instead of answering. */
  | { kind: 'drop-response' };

export interface FaultRule {
  dialect?: DialectName;
  op?: Operation;
  bucket?: string;
  key?: string;
  partNumber?: number;
  /** How many matching requests the rule affects; default 1, `Infinity` for all. */
  times?: number;
  action: FaultAction;
}

export interface RequestLog {
  /** Milliseconds since the epoch when the request arrived. */
  time: number;
  dialect?: DialectName;
  method: string;
  op: Operation;
  bucket?: string;
  key?: string;
  partNumber?: number;
  uploadId?: string;
  status: number;
  /** Error code sent, if any. */
  code?: string;
  /** Fault actions applied to this request. */
  faults?: FaultAction['kind'][];
}

export interface Account {
  id: string;
  secret: string;
  /** STS session token: when set, requests must carry it (`x-cos-security-token` / `x-oss-security-token`). */
  token?: string;
  /**
   * The principal whose buckets the key may use. Keys of the same owner share buckets (as temporary
   * keys act for their main account); other owners get AccessDenied. Default: the emulator's main account.
   */
  owner?: string;
}

export interface CosCredentials {
  secretId: string;
  secretKey: string;
  appId: string;
  region: string;
}

export interface OssCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  region: string;
}

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** Folder for buckets and objects; default a temporary folder removed by `close()`. */
  dataDir?: string;
  cos?: Partial<CosCredentials>;
  oss?: Partial<OssCredentials>;
  /**
   * Smallest size of a part other than the last one at Complete (EntityTooSmall below it).
   * Default: the services' own limits, 1 MiB for COS and 100 KiB for OSS.
   */
  minPartSize?: number;
}

export interface Emulator {
  port: number;
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  cos: CosCredentials;
  oss: OssCredentials;
  dataDir: string;
  /** Create a bucket owned by the main account (COS names end with `-<appId>`); a no-op if it exists. */
  createBucket(dialect: DialectName, name: string): Promise<void>;
  /** Store an object without a CRC-64, as objects written before the services computed one. */
  putLegacyObject(dialect: DialectName, bucket: string, key: string, bytes: Uint8Array | string): Promise<void>;
  /** Add a key pair (optionally an STS token) accepted by one dialect. */
  addAccount(dialect: DialectName, account: Account): void;
  faults: { add(rule: FaultRule): number; remove(id: number): void; clear(): void };
  /** Requests served so far, oldest first. */
  requests(): RequestLog[];
  clearRequests(): void;
  close(): Promise<void>;
}
