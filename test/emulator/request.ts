import type { IncomingMessage } from 'node:http';
import { EmulatorError } from './errors';
import type { Dialect, Operation } from './types';

/** Reading a request: query, dialect, bucket and key, operation, and small bodies. */

export interface QueryItem {
  key: string;
  value: string;
  hasEquals: boolean;
}

/** Sub-resources this emulator does not implement; answered with NotImplemented rather than misread. */
export const UNSUPPORTED = new Set([
  'acl', 'tagging', 'cors', 'lifecycle', 'policy', 'website', 'referer', 'logging', 'versioning', 'versions', 'symlink',
  'restore', 'encryption', 'replication', 'worm', 'select', 'x-oss-process', 'asyncFetch',
]);

const MAX_XML_BODY = 4 * 1024 * 1024;

export function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new EmulatorError(400, 'InvalidURI', 'Could not parse the specified URI.');
  }
}

export function parseQuery(qs: string): QueryItem[] {
  const out: QueryItem[] = [];
  for (const part of qs.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    out.push(i < 0 ? { key: decode(part), value: '', hasEquals: false } : { key: decode(part.slice(0, i)), value: decode(part.slice(i + 1)), hasEquals: true });
  }
  return out;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function detectDialect(req: IncomingMessage, query: QueryItem[]): Dialect {
  const auth = headerValue(req, 'authorization') ?? '';
  if (auth.startsWith('q-sign-algorithm=')) return 'cos';
  if (auth.startsWith('OSS ') || auth.startsWith('OSS4-HMAC-SHA256')) return 'oss';
  const host = (headerValue(req, 'host') ?? '').toLowerCase();
  if (/myqcloud\.com|tencentcos\.cn/.test(host)) return 'cos';
  if (/aliyuncs\.com/.test(host)) return 'oss';
  if (query.some((q) => q.key === 'q-sign-algorithm')) return 'cos';
  return 'oss';
}

/** Bucket and key from the Host header (virtual-hosted style) or the first path segment (path style). */
export function resolveTarget(dialect: Dialect, hostHeader: string, rawPath: string): { bucket?: string; key: string } {
  const host = hostHeader.toLowerCase().replace(/:\d+$/, '');
  let bucket: string | undefined;
  let virtual = false;
  if (dialect === 'cos') {
    const m = /^(.+?)\.cos\.([^.]+)\.(myqcloud\.com|tencentcos\.cn)$/.exec(host);
    if (m) {
      bucket = m[1];
      virtual = true;
    } else if (/^(service\.cos|cos\.[^.]+)\.(myqcloud\.com|tencentcos\.cn)$/.test(host)) {
      virtual = true;
    }
  } else {
    const m = /^(.*)\.(oss-[^.]+?)(-internal)?\.aliyuncs\.com$/.exec(host);
    if (m) {
      bucket = m[1] || undefined;
      virtual = true;
    } else if (/^oss-[^.]+\.aliyuncs\.com$/.test(host)) {
      virtual = true;
    } else {
      const local = /^([a-z0-9][a-z0-9-]*)\.localhost$/.exec(host);
      if (local) {
        bucket = local[1];
        virtual = true;
      }
    }
  }
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (virtual) return { bucket, key: decode(path) };
  if (!path) return { key: '' };
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decode(path), key: '' };
  return { bucket: decode(path.slice(0, slash)), key: decode(path.slice(slash + 1)) };
}

export function classify(method: string, bucket: string | undefined, key: string, q: Map<string, string>, req: IncomingMessage, dialect: Dialect): Operation {
  if (!bucket) return method === 'GET' ? 'ListBuckets' : 'Unknown';
  const copySource = headerValue(req, `x-${dialect}-copy-source`);
  if (!key) {
    switch (method) {
      case 'PUT':
        return q.has('inventory') ? 'PutBucketInventory' : 'PutBucket';
      case 'DELETE':
        return q.has('inventory') ? 'DeleteBucketInventory' : 'DeleteBucket';
      case 'HEAD':
        return 'HeadBucket';
      case 'GET':
        if (q.has('inventory')) return q.has(dialect === 'cos' ? 'id' : 'inventoryId') ? 'GetBucketInventory' : 'ListBucketInventory';
        if (q.has('uploads')) return 'ListMultipartUploads';
        if (q.has('bucketInfo')) return 'GetBucketInfo';
        if (q.has('location')) return 'GetBucketLocation';
        if (q.get('list-type') === '2') return 'ListObjectsV2';
        return 'ListObjects';
      case 'POST':
        if (q.has('inventory') && dialect === 'cos') return 'PostBucketInventory';
        return q.has('delete') ? 'DeleteMultipleObjects' : 'Unknown';
      default:
        return 'Unknown';
    }
  }
  switch (method) {
    case 'PUT':
      if (q.has('partNumber') && q.has('uploadId')) return copySource ? 'UploadPartCopy' : 'UploadPart';
      return copySource ? 'CopyObject' : 'PutObject';
    case 'GET':
      return q.has('uploadId') ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return q.has('objectMeta') && dialect === 'oss' ? 'GetObjectMeta' : 'HeadObject';
    case 'DELETE':
      return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'POST':
      if (q.has('uploads')) return 'InitiateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      if (q.has('append') && dialect === 'oss') return 'AppendObject';
      return 'Unknown';
    default:
      return 'Unknown';
  }
}

export async function drain(req: IncomingMessage): Promise<void> {
  if (req.complete || req.readableEnded || req.destroyed) return;
  await new Promise<void>((resolve) => {
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', resolve);
    req.resume();
  });
}

export async function readSmallBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_XML_BODY) throw new EmulatorError(400, 'EntityTooLarge', 'The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
