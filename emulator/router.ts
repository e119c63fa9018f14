import type { IncomingMessage } from 'node:http';
import { awsV4AccessKey, isAwsV4 } from './auth';
import type { RequestContext } from './context';
import type { Dialect, Dialects } from './dialects/dialect';
import { EmulatorError } from './errors';
import { appendObject, getObjectMeta } from './handlers/append';
import * as buckets from './handlers/buckets';
import * as inventory from './handlers/inventory';
import { listObjects } from './handlers/listing';
import * as multipart from './handlers/multipart';
import * as objects from './handlers/objects';
import * as symlink from './handlers/symlink';
import * as versioning from './handlers/versioning';
import { restoreObject } from './handlers/objectState';
import { decode, headerValue, type QueryItem } from './request';
import type { DialectName, Operation } from './types';

/**
 * Routing: which service a request speaks, which bucket and key it names, which operation it is, and
 * the handler that serves it. A new operation gets a name in `types.ts`, a line in `classify` and a
 * line in `ROUTES` pointing at its area's handler file.
 */

export type Handler = (ctx: RequestContext) => void | Promise<void>;

const ROUTES: Record<Exclude<Operation, 'Unknown'>, Handler> = {
  ListBuckets: buckets.listBuckets,
  PutBucket: buckets.putBucket,
  DeleteBucket: buckets.deleteBucket,
  HeadBucket: buckets.headBucket,
  GetBucketInfo: buckets.bucketInfo,
  GetBucketLocation: buckets.bucketLocation,
  ListObjects: listObjects,
  ListObjectsV2: listObjects,
  PutObject: objects.putObject,
  CopyObject: objects.copyObject,
  GetObject: objects.getObject,
  HeadObject: objects.getObject,
  DeleteObject: versioning.deleteObject,
  DeleteMultipleObjects: objects.deleteMultiple,
  InitiateMultipartUpload: multipart.initiate,
  UploadPart: multipart.uploadPart,
  UploadPartCopy: multipart.uploadPartCopy,
  CompleteMultipartUpload: multipart.complete,
  AbortMultipartUpload: multipart.abort,
  ListParts: multipart.listParts,
  ListMultipartUploads: multipart.listUploads,
  AppendObject: appendObject,
  GetObjectMeta: getObjectMeta,
  RestoreObject: restoreObject,
  PutBucketInventory: inventory.putInventory,
  GetBucketInventory: inventory.getInventory,
  ListBucketInventory: inventory.listInventory,
  DeleteBucketInventory: inventory.deleteInventory,
  PostBucketInventory: inventory.postInventory,
  PutBucketVersioning: versioning.putVersioning,
  GetBucketVersioning: versioning.getVersioning,
  ListObjectVersions: versioning.listVersions,
  PutSymlink: symlink.putSymlink,
  GetSymlink: symlink.getSymlink,
};

/** Sub-resources this emulator does not implement; answered with NotImplemented rather than misread. */
const UNSUPPORTED = new Set([
  'acl',
  'tagging',
  'cors',
  'lifecycle',
  'policy',
  'website',
  'referer',
  'logging',
  'encryption',
  'replication',
  'worm',
  'select',
  'x-oss-process',
  'asyncFetch',
]);

/** The handler of an operation; NotImplemented for anything this emulator does not serve. */
export function handlerFor(op: Operation, q: Map<string, string>): Handler {
  if (op === 'Unknown' || [...q.keys()].some((k) => UNSUPPORTED.has(k))) {
    throw new EmulatorError(501, 'NotImplemented', 'This operation is not supported by the local emulator.');
  }
  return ROUTES[op];
}

/**
 * The service a request speaks: by its signature, else its Host, else OSS. An AWS V4 signature (the S3 API
 * both services offer) says nothing of the service: its Host does, else the service whose account signed it.
 */
export function detectDialect(
  req: IncomingMessage,
  query: QueryItem[],
  dialects: Dialects,
  hasKey?: (dialect: DialectName, id: string) => boolean,
): Dialect {
  const all = [dialects.cos, dialects.oss];
  const auth = headerValue(req, 'authorization') ?? '';
  const host = (headerValue(req, 'host') ?? '').toLowerCase();
  if (isAwsV4(auth, query)) {
    const ak = awsV4AccessKey(auth, query);
    return all.find((d) => d.ownsHost(host)) ?? all.find((d) => ak !== undefined && hasKey?.(d.name, ak)) ?? dialects.oss;
  }
  return all.find((d) => d.signedBy(auth, query)) ?? all.find((d) => d.ownsHost(host)) ?? dialects.oss;
}

/** Bucket and key from the Host header (virtual-hosted style) or the first path segment (path style). */
export function resolveTarget(dialect: Dialect, hostHeader: string, rawPath: string): { bucket?: string; key: string } {
  const host = hostHeader.toLowerCase().replace(/:\d+$/, '');
  const virtual = dialect.virtualHost(host);
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (virtual) return { bucket: virtual.bucket, key: decode(path) };
  if (!path) return { key: '' };
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decode(path), key: '' };
  return { bucket: decode(path.slice(0, slash)), key: decode(path.slice(slash + 1)) };
}

/** Bucket inventory calls (`?inventory`); the id is `id` for COS and `inventoryId` for OSS. */
function classifyInventory(method: string, q: Map<string, string>, dialect: DialectName): Operation {
  switch (method) {
    case 'PUT':
      return 'PutBucketInventory';
    case 'GET':
      return q.has(dialect === 'cos' ? 'id' : 'inventoryId') ? 'GetBucketInventory' : 'ListBucketInventory';
    case 'DELETE':
      return 'DeleteBucketInventory';
    case 'POST':
      return dialect === 'cos' ? 'PostBucketInventory' : 'Unknown';
    default:
      return 'Unknown';
  }
}

function classifyBucket(method: string, q: Map<string, string>, dialect: DialectName): Operation {
  if (q.has('inventory')) return classifyInventory(method, q, dialect);
  if (q.has('versioning')) return method === 'PUT' ? 'PutBucketVersioning' : method === 'GET' ? 'GetBucketVersioning' : 'Unknown';
  if (q.has('versions')) return method === 'GET' ? 'ListObjectVersions' : 'Unknown';
  switch (method) {
    case 'PUT':
      return 'PutBucket';
    case 'DELETE':
      return 'DeleteBucket';
    case 'HEAD':
      return 'HeadBucket';
    case 'GET':
      if (q.has('uploads')) return 'ListMultipartUploads';
      if (q.has('bucketInfo')) return 'GetBucketInfo';
      if (q.has('location')) return 'GetBucketLocation';
      if (q.get('list-type') === '2') return 'ListObjectsV2';
      return 'ListObjects';
    case 'POST':
      return q.has('delete') ? 'DeleteMultipleObjects' : 'Unknown';
    default:
      return 'Unknown';
  }
}

/** The operation a request is, from its method, target, query and copy-source header. */
export function classify(
  method: string,
  bucket: string | undefined,
  key: string,
  q: Map<string, string>,
  copySource: boolean,
  dialect: DialectName,
): Operation {
  if (!bucket) return method === 'GET' ? 'ListBuckets' : 'Unknown';
  if (!key) return classifyBucket(method, q, dialect);
  switch (method) {
    case 'PUT':
      if (q.has('symlink')) return dialect === 'oss' ? 'PutSymlink' : 'Unknown';
      if (q.has('partNumber') && q.has('uploadId')) return copySource ? 'UploadPartCopy' : 'UploadPart';
      return copySource ? 'CopyObject' : 'PutObject';
    case 'GET':
      if (q.has('symlink')) return dialect === 'oss' ? 'GetSymlink' : 'Unknown';
      return q.has('uploadId') ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return q.has('objectMeta') && dialect === 'oss' ? 'GetObjectMeta' : 'HeadObject';
    case 'DELETE':
      return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      if (q.has('uploads')) return 'InitiateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      if (q.has('append')) return 'AppendObject';
      if (q.has('restore')) return 'RestoreObject';
      return 'Unknown';
    default:
      return 'Unknown';
  }
}
