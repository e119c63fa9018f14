import * as l10n from '@vscode/l10n';
import { Readable } from 'node:stream';
import { StorageError } from '../errors';
import { CallRunner, RawError, type Attempt } from '../shared/call';
import { describe } from '../shared/connection';
import { crcFromHeader, header, infoFromHeaders, pageDates, parseDate } from '../shared/headers';
import { DelegatingStore, listAllParts, type WirePart } from '../shared/delegatingStore';
import { parseListXml } from '../shared/listXml';
import { bucketNameProblem } from '../bucketNames';
import type {
  DeleteObjectsResult,
  BucketInfo,
  InventoryConfig,
  CompleteResult,
  ConnectionOptions,
  GetOptions,
  GetResult,
  ListOptions,
  ListPage,
  ObjectInfo,
  ObjectStore,
  PutResult,
  RequestOptions,
  UploadedPart,
  VersionOptions,
} from '../types';
import type { InventoryRunner, Restorable, VersionLister } from '../capabilities';
import type { VersionPage, VersionPageOptions, VersioningStatus } from '../versions';
import * as versions from './versions';
import { customerKeyHeaders, type RestoreOutcome, type RestoreRequest } from '../objectState';
import * as copy from './copy';
import type { CosOps } from './copy';
import * as inventory from './inventory';
import { CosClients, type CosCall, type CosData, type CosMethod, type CosTap } from './client';
import { ClockSkewed, listDirect } from './directList';
import { rawFromSdkError } from './errors';
import { CLASS_HEADER, CRC_HEADER, getAttempt } from './get';
import { cosObjectUrl, cosPresignedUrl } from './urls';

/** Tencent Cloud COS over `cos-nodejs-sdk-v5` (client set-up and retry suppression: see `client.ts`). */

/** COS bucket names carry the account's APPID: `name-1250000000`. */
const BUCKET_RE = /^[a-z\d-]+-\d+$/;

export type { CosCall, CosData } from './client';

/** COS has no appendable objects and no GetObjectMeta (a HEAD answers): no `Appendable`, no `ObjectMetaReader`. */
export class CosStore extends DelegatingStore<CosOps> implements ObjectStore, InventoryRunner, Restorable, VersionLister {
  readonly provider = 'cos' as const;
  readonly region: string;
  private readonly clients: CosClients;
  private readonly runner: CallRunner;
  private readonly options: ConnectionOptions;

  constructor(options: ConnectionOptions) {
    super(copy, inventory);
    if (!/^[a-z\d-]+$/.test(options.region) || options.region.startsWith('cos.')) {
      throw new StorageError(
        'invalid-request',
        l10n.t('"{0}" is not a COS region.', options.region),
        l10n.t('Use a region name such as ap-guangzhou or ap-shanghai.'),
      );
    }
    this.region = options.region;
    this.options = options;
    this.clients = new CosClients(options);
    this.runner = new CallRunner({
      provider: 'cos',
      connection: options,
      rawOf: rawFromSdkError,
      probeBucket: (bucket, signal) => this.list(bucket, { pageSize: 1, signal }),
    });
  }

  listBuckets(options: RequestOptions = {}): Promise<BucketInfo[]> {
    return this.sdk({ operation: l10n.t('list the buckets') }, options.signal, 'getService', { Region: this.region }, (data) =>
      ((data.Buckets ?? []) as Array<{ Name: string; Location?: string; CreationDate?: string }>).map((b) => ({
        name: b.Name,
        region: b.Location,
        creationDate: parseDate(b.CreationDate),
      })),
    );
  }

  list(bucket: string, options: ListOptions = {}): Promise<ListPage> {
    const ctx = { operation: l10n.t('list {0}', describe('cos', bucket, options.prefix)), bucket };
    // COS's marker is a key: a range's start and the next page's are the same parameter.
    const marker = options.pageToken || options.startAfter;
    const query: Record<string, string | number> = { prefix: options.prefix ?? '', 'max-keys': options.pageSize ?? 1000 };
    if (options.delimiter) query.delimiter = options.delimiter;
    if (marker) query.marker = marker;
    const read = (body: Buffer | string): ListPage => {
      const listed = parseListXml(body);
      const dateOf = pageDates();
      const objects: ObjectInfo[] = listed.objects.map((c) => ({
        key: c.key,
        size: c.size,
        lastModified: dateOf(c.lastModified),
        etag: c.etag,
        storageClass: c.storageClass ?? 'STANDARD',
      }));
      const page: ListPage = { objects, prefixes: listed.prefixes };
      if (listed.truncated) {
        // Without a delimiter COS leaves NextMarker out: the last key returned is the marker.
        const last = [objects.at(-1)?.key ?? '', listed.prefixes.at(-1) ?? ''].sort().at(-1);
        const next = listed.nextMarker || last;
        if (next) page.nextPageToken = next;
      }
      return page;
    };
    // GET Bucket sent directly (directList.ts says why); a skewed clock goes through the SDK, which corrects it.
    const params = { ...this.at(bucket), Method: 'GET', Key: '', Query: query, RawBody: true };
    return this.checked(bucket, () =>
      this.runner.run(ctx, options.signal, async (attempt) => {
        try {
          const listing = {
            options: this.options,
            agent: this.clients.agent,
            bucket,
            query,
            clockOffsetMs: this.clients.clockOffsetMs,
            attempt,
          };
          return read(await listDirect(listing));
        } catch (err) {
          if (!(err instanceof ClockSkewed)) throw err;
          return this.sdkAttempt(attempt, 'request', params, (data) => read(Buffer.isBuffer(data.Body) ? data.Body : String(data.Body)));
        }
      }),
    );
  }

  head(bucket: string, key: string, options: RequestOptions & VersionOptions = {}): Promise<ObjectInfo> {
    const ctx = {
      operation: l10n.t('HEAD {0}', describe('cos', bucket, key, options.versionId)),
      bucket,
      objectLevel: true,
      readsObject: true,
    };
    const params = {
      ...this.at(bucket),
      Key: key,
      Headers: this.customerKeyHeaders(),
      ...(options.versionId ? { VersionId: options.versionId } : {}),
    };
    return this.sdk(ctx, options.signal, 'headObject', params, (data) => infoFromHeaders(key, data.headers, CRC_HEADER, CLASS_HEADER));
  }

  get(bucket: string, key: string, options: GetOptions = {}): Promise<GetResult> {
    const ctx = {
      operation: l10n.t('GET {0}', describe('cos', bucket, key, options.versionId)),
      bucket,
      objectLevel: true,
      readsObject: true,
    };
    const target = { bucket, key, region: this.region, headers: this.customerKeyHeaders() };
    return this.checked(bucket, () =>
      this.runner.run(ctx, options.signal, (attempt) =>
        getAttempt(this.clients.create(attempt, undefined), attempt, target, options, ctx, this.runner),
      ),
    );
  }

  put(bucket: string, key: string, body: Buffer, options: RequestOptions = {}): Promise<PutResult> {
    const ctx = { operation: l10n.t('PUT {0}', describe('cos', bucket, key)), bucket };
    const params = (): object => ({
      ...this.at(bucket),
      Key: key,
      Body: bodyStream(body),
      ContentLength: body.length,
      SkipTask: true,
      Headers: this.customerKeyHeaders(),
    });
    return this.sdk(ctx, options.signal, 'putObject', params, (data) => etagAndCrc(data));
  }

  deleteObject(bucket: string, key: string, options: RequestOptions = {}): Promise<void> {
    const ctx = { operation: l10n.t('delete {0}', describe('cos', bucket, key)), bucket };
    return this.sdk(ctx, options.signal, 'deleteObject', { ...this.at(bucket), Key: key }, (data) => {
      // The SDK turns a 404 into success with this flag; COS answers 404 on DELETE only for a missing bucket.
      if (data?.BucketNotFound) throw new RawError({ status: 404, code: 'NoSuchBucket' });
    });
  }

  deleteObjects(bucket: string, keys: readonly string[], options: RequestOptions = {}): Promise<DeleteObjectsResult> {
    if (keys.length === 0) return Promise.resolve({ deleted: [], failed: [] });
    const ctx = { operation: l10n.t('delete {0} object(s) of {1}', keys.length, describe('cos', bucket)), bucket };
    const params = { ...this.at(bucket), Objects: keys.map((Key) => ({ Key })), Quiet: false };
    return this.sdk(ctx, options.signal, 'deleteMultipleObject', params, (data) => ({
      deleted: ((data.Deleted ?? []) as Array<{ Key: string }>).map((d) => d.Key),
      failed: ((data.Error ?? []) as Array<{ Key: string; Code?: string; Message?: string }>).map((e) => ({
        key: e.Key,
        code: e.Code,
        message: e.Message ?? e.Code ?? 'not deleted',
      })),
    }));
  }

  createBucket(bucket: string, options: RequestOptions = {}): Promise<void> {
    const problem = bucketNameProblem('cos', bucket, this.region);
    if (problem) return Promise.reject(new StorageError('invalid-request', problem, l10n.t('Pick another bucket name.')));
    const ctx = { operation: l10n.t('create {0}', describe('cos', bucket)), bucket };
    return this.sdk(ctx, options.signal, 'putBucket', this.at(bucket), () => undefined);
  }

  objectUrl(bucket: string, key: string): string {
    return cosObjectUrl(this.options, bucket, key);
  }

  presignedUrl(bucket: string, key: string, expiresSeconds: number): string {
    return cosPresignedUrl(this.options, bucket, key, expiresSeconds, this.clients.clockOffsetMs);
  }

  createMultipartUpload(bucket: string, key: string, options: RequestOptions = {}): Promise<{ uploadId: string }> {
    const ctx = { operation: l10n.t('start a multipart upload of {0}', describe('cos', bucket, key)), bucket };
    // With a customer key the upload is SSE-C: each part carries the same key (COS "Upload Part").
    const params = { ...this.at(bucket), Key: key, Headers: this.customerKeyHeaders() };
    return this.sdk(ctx, options.signal, 'multipartInit', params, (data) => {
      if (typeof data.UploadId !== 'string' || !data.UploadId) throw new RawError({ malformed: true });
      return { uploadId: data.UploadId };
    });
  }

  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    options: RequestOptions = {},
  ): Promise<UploadedPart> {
    const ctx = { operation: l10n.t('upload part {0} of {1}', partNumber, describe('cos', bucket, key)), bucket };
    const params = (): object => ({
      ...this.at(bucket),
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      Body: bodyStream(body),
      ContentLength: body.length,
      Headers: this.customerKeyHeaders(),
    });
    return this.sdk(ctx, options.signal, 'multipartUpload', params, (data) => {
      const { etag, crc64 } = etagAndCrc(data);
      if (!etag) throw new RawError({ malformed: true });
      return { partNumber, etag, crc64, size: body.length };
    });
  }

  listParts(bucket: string, key: string, uploadId: string, options: RequestOptions = {}): Promise<UploadedPart[]> {
    const ctx = { operation: l10n.t('list the parts of {0}', describe('cos', bucket, key)), bucket };
    return listAllParts((marker) => {
      const params = { ...this.at(bucket), Key: key, UploadId: uploadId, PartNumberMarker: marker, MaxParts: 1000 };
      return this.sdk(ctx, options.signal, 'multipartListPart', params, (page) => ({
        parts: (page.Part ?? []) as WirePart[],
        truncated: page.IsTruncated === 'true',
        next: page.NextPartNumberMarker as string | undefined,
      }));
    });
  }

  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: ReadonlyArray<{ partNumber: number; etag: string }>,
    options: RequestOptions = {},
  ): Promise<CompleteResult> {
    const ctx = { operation: l10n.t('complete the multipart upload of {0}', describe('cos', bucket, key)), bucket };
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ PartNumber: p.partNumber, ETag: p.etag }));
    return this.sdk(
      ctx,
      options.signal,
      'multipartComplete',
      { ...this.at(bucket), Key: key, UploadId: uploadId, Parts: sorted },
      etagAndCrc,
    );
  }

  abortMultipartUpload(bucket: string, key: string, uploadId: string, options: RequestOptions = {}): Promise<void> {
    const ctx = { operation: l10n.t('abort the multipart upload of {0}', describe('cos', bucket, key)), bucket };
    return this.sdk(ctx, options.signal, 'multipartAbort', { ...this.at(bucket), Key: key, UploadId: uploadId }, () => undefined);
  }

  runInventoryOnce(bucket: string, config: InventoryConfig, options?: RequestOptions): Promise<{ jobId?: string }> {
    return inventory.runInventoryOnce(this.ops, bucket, config, options);
  }

  getVersioning(bucket: string, options?: RequestOptions): Promise<VersioningStatus> {
    return versions.getVersioning(this.ops, bucket, options);
  }

  setVersioning(bucket: string, status: 'Enabled' | 'Suspended', options?: RequestOptions): Promise<void> {
    return versions.setVersioning(this.ops, bucket, status, options);
  }

  listVersions(bucket: string, options?: VersionPageOptions): Promise<VersionPage> {
    return versions.listVersions(this.ops, bucket, options);
  }

  /** POST Object restore: 202 a restore started, 200 an already restored copy kept longer. */
  restoreObject(bucket: string, key: string, request: RestoreRequest, options: RequestOptions = {}): Promise<RestoreOutcome> {
    const ctx = { operation: l10n.t('restore {0}', describe('cos', bucket, key)), bucket, objectLevel: true };
    const params = {
      ...this.at(bucket),
      Key: key,
      Headers: {},
      RestoreRequest: { Days: request.days, CASJobParameters: { Tier: request.tier } },
    };
    return this.sdk(ctx, options.signal, 'restoreObject', params, (data): RestoreOutcome =>
      data.statusCode === 200 ? 'extended' : 'started',
    ).catch((err: unknown) => {
      if (err instanceof StorageError && err.kind === 'restore-in-progress') return 'in-progress';
      // COS answers a restore of an object that is not archived with InvalidObjectState.
      if (err instanceof StorageError && err.kind === 'archived')
        throw new StorageError(
          'not-archived',
          l10n.t('{0} ({1}).', l10n.t('The object is not in an archive storage class, so it needs no restore'), ctx.operation),
          l10n.t('Read it directly.'),
          err.code,
          err.requestId,
          err.status,
        );
      throw err;
    });
  }

  protected get ops(): CosOps {
    return { sdk: this.sdk, region: this.region, customerKey: this.options.customerKey };
  }

  /** The SSE-C headers of the connection's customer key, if it has one: on every read and every write. */
  private customerKeyHeaders(): Record<string, string> {
    return this.options.customerKey ? customerKeyHeaders('x-cos-', this.options.customerKey) : {};
  }

  /** Bucket and region, the first params of every bucket-level call. */
  private at(bucket: string): { Bucket: string; Region: string } {
    return { Bucket: bucket, Region: this.region };
  }

  /** One SDK call: each attempt a fresh client whose first try alone is signed (see `client.ts`). */
  private readonly sdk: CosCall = (ctx, signal, method, params, read) =>
    this.checked(ctx.sourceBucket ?? ctx.bucket, () =>
      this.checked(ctx.bucket, () => this.runner.run(ctx, signal, (attempt) => this.sdkAttempt(attempt, method, params, read))),
    );

  /** One attempt of an SDK call: a client of its own, its outcome on the wire kept for when its retry was refused. */
  private sdkAttempt<T>(attempt: Attempt, method: CosMethod, params: object | (() => object), read: (data: CosData) => T): Promise<T> {
    const tap: CosTap = { signed: false, refused: false };
    const cos = this.clients.create(attempt, tap);
    return new Promise((resolve, reject) => {
      cos[method](typeof params === 'function' ? params() : params, (err, data) => {
        this.clients.learnClock(cos);
        if (!err) {
          try {
            return resolve(read(data));
          } catch (readErr) {
            return reject(readErr);
          }
        }
        reject(new RawError(tap.refused ? (tap.transport ?? { malformed: true }) : rawFromSdkError(err)));
      });
    });
  }

  /** Refuse a bucket name without the APPID before any request, with a message that says so. */
  private checked<T>(bucket: string | undefined, run: () => Promise<T>): Promise<T> {
    if (bucket !== undefined && !BUCKET_RE.test(bucket)) {
      return Promise.reject(
        new StorageError(
          'invalid-request',
          l10n.t('"{0}" is not a COS bucket name: COS names end with the account\'s APPID, e.g. "photos-1250000000".', bucket),
          l10n.t('Use the full bucket name as shown in the COS console.'),
        ),
      );
    }
    return run();
  }
}

/** The ETag and CRC-64 of an answer that stored something (PUT, part, Complete). */
function etagAndCrc(data: CosData): { etag?: string; crc64?: string } {
  return {
    etag: header(data.headers, 'etag') ?? (data.ETag as string | undefined),
    crc64: crcFromHeader(header(data.headers, CRC_HEADER)),
  };
}

function bodyStream(body: Buffer): Readable {
  // A stream body makes the SDK send exactly once per call (it never replays a stream).
  return Readable.from([body], { objectMode: false });
}

export function createCosStore(options: ConnectionOptions): ObjectStore {
  return new CosStore(options);
}
