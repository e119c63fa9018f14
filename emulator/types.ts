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
  | 'AppendObject'
  | 'GetObjectMeta'
  | 'RestoreObject'
  | 'PutBucketInventory'
  | 'GetBucketInventory'
  | 'ListBucketInventory'
  | 'DeleteBucketInventory'
  | 'PostBucketInventory'
  | 'PutBucketVersioning'
  | 'GetBucketVersioning'
  | 'ListObjectVersions'
  | 'PutSymlink'
  | 'GetSymlink'
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
  /** Leaves the CRC header out of the response; the stored object keeps its CRC. */
  | { kind: 'omit-crc-header' }
  /**
   * Stores what the request writes (PutObject, CopyObject, UploadPart, UploadPartCopy) without a CRC-64, as
   * the services keep legacy objects and parts: the answer has none, a Complete over such a part has none,
   * and HEAD / GET of such an object have none.
   */
  | { kind: 'store-without-crc' }
  /** Does the work (stores the object, completes the upload, …) but closes the connection instead of answering. */
  | { kind: 'drop-response' }
  /**
   * COS only, CopyObject and CompleteMultipartUpload: answers `200 OK` with an `<Error>` body
   * (`InternalError`) and writes nothing, as COS documents these calls may fail after sending 200.
   */
  | { kind: 'error-in-200' };

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
  /** COS: the APPID of the key's account, which its bucket names end with. Default: the main account's. */
  appId?: string;
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
  /** Rows per inventory data file (`…csv.gz`) before the next file starts; default 100,000. */
  inventoryRowsPerFile?: number;
  /**
   * How long a restore of an archived object takes, in ms; default `EMULATOR_RESTORE_DELAY_MS` from the
   * environment, else 2,000 (the services take minutes to hours).
   */
  restoreDelayMs?: number;
  /**
   * How long one "day" of a restore's `Days` lasts, in ms; default `EMULATOR_RESTORE_DAY_MS`, else a real
   * day. Short days let a test see a restored copy expire.
   */
  restoreDayMs?: number;
}

/** What `seedObjects` creates: `count` objects `<prefix>00…0` … `<prefix><count-1>` (zero-padded). */
export interface SeedObjectsRequest {
  prefix: string;
  count: number;
  /** Bytes per object; default 32. */
  size?: number;
  /** false: the objects have no CRC-64 (as legacy objects); default true. */
  withCrc?: boolean;
}

export interface SeedObjectsResult {
  prefix: string;
  count: number;
  size: number;
  firstKey: string;
  lastKey: string;
}

/** Where a run of an inventory wrote its report, in the destination bucket. */
export interface InventoryRunResult {
  manifestKey: string;
  /** The `.csv.gz` data files, in order. */
  dataKeys: string[];
  /** Objects listed. */
  rows: number;
}

export interface Emulator {
  port: number;
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  cos: CosCredentials;
  oss: OssCredentials;
  /** The main account's id, as GetBucketInfo and ListBuckets show the owner (OSS inventories' AccountId). */
  accountId: string;
  dataDir: string;
  /** Create a bucket owned by the main account (COS names end with `-<appId>`); a no-op if it exists. */
  createBucket(dialect: DialectName, name: string): Promise<void>;
  /** Store an object without a CRC-64, as objects written before the services computed one. */
  putLegacyObject(
    dialect: DialectName,
    bucket: string,
    key: string,
    bytes: Uint8Array | string,
    /** Its storage class (the service's spelling), e.g. an old object a lifecycle rule archived. */
    options?: { storageClass?: string },
  ): Promise<void>;
  /**
   * Create many metadata-only objects at once (a million in seconds): the body of each is `key + "\n"`
   * repeated to `size` bytes, generated on GET; CRC-64 and ETag are those of that body.
   */
  seedObjects(dialect: DialectName, bucket: string, request: SeedObjectsRequest): Promise<SeedObjectsResult>;
  /** Run a stored inventory configuration now: its report is in the destination bucket when this resolves. */
  runInventory(dialect: DialectName, bucket: string, id: string, options?: { rowsPerFile?: number }): Promise<InventoryRunResult>;
  /** Change how long restores take and how long their days last (see `EmulatorOptions`), from now on. */
  setRestoreTiming(timing: { delayMs?: number; dayMs?: number }): void;
  /** Add a key pair (optionally an STS token) accepted by one dialect. */
  addAccount(dialect: DialectName, account: Account): void;
  faults: {
    add(rule: FaultRule): number;
    /**
     * Runs `run` (awaited) before each of the next `times` (default: every) requests that match, e.g. a
     * concurrent overwrite at an exact point of a client's sequence. In-process only; `remove` / `clear` end it.
     */
    hook(
      match: Omit<FaultRule, 'action'>,
      run: (request: { dialect: DialectName; op: Operation; bucket?: string; key?: string }) => void | Promise<void>,
    ): number;
    remove(id: number): void;
    clear(): void;
  };
  /** Requests served so far, oldest first. */
  requests(): RequestLog[];
  clearRequests(): void;
  close(): Promise<void>;
}
