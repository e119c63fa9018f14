import { Readable } from 'node:stream';
import type { RequestContext } from '../context';
import { EmulatorError } from '../errors';
import { drain } from '../request';
import type { BucketState, ObjectMeta } from '../store';
import { versionForRead, versionHeaders } from './versioning';

/**
 * OSS symbolic links: PutSymlink (`PUT /<key>?symlink` with `x-oss-symlink-target`) stores an object of
 * type `Symlink` that holds only the target's name; GetSymlink (`GET /<key>?symlink`) answers the target in
 * `x-oss-symlink-target`. GET and HEAD of a link follow it to the target's current version: the answer is
 * the target's bytes, length, ETag and CRC-64, with `x-oss-object-type: Symlink`. A link whose target is
 * missing answers 404 SymlinkTargetNotExist. PutSymlink does not check the target, as OSS documents.
 */

export async function putSymlink(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  await drain(ctx.req);
  const raw = ctx.header('x-oss-symlink-target');
  if (!raw) throw new EmulatorError(400, 'InvalidArgument', 'The x-oss-symlink-target header is required.');
  const target = decodeURIComponent(raw);
  const tmp = await ctx.store.receive(Readable.from([]));
  const m = await ctx.store.commitObject(b, tmp.tmpPath, {
    key: ctx.key,
    size: 0,
    etag: `"${tmp.md5.toUpperCase()}"`,
    lastModified: Date.now(),
    contentType: ctx.header('content-type') || ctx.dialect.defaultContentType(ctx.key),
    type: 'Symlink',
    userMeta: ctx.keptHeaders(),
    symlinkTarget: target,
  });
  ctx.send(200, { etag: m.etag, ...versionHeaders(ctx, m) });
}

export function getSymlink(ctx: RequestContext): void {
  const b = ctx.bucket();
  const m = versionForRead(ctx, b, ctx.key, ctx.q.get('versionId'));
  if (m.type !== 'Symlink' || m.symlinkTarget === undefined)
    throw new EmulatorError(400, 'NotSymlink', 'The specified object is not a symlink.');
  ctx.send(200, {
    etag: m.etag,
    'last-modified': new Date(m.lastModified).toUTCString(),
    'x-oss-symlink-target': encodeURIComponent(m.symlinkTarget),
    ...versionHeaders(ctx, m),
  });
}

/** What a GET or HEAD of `m` serves: `m` itself, or the current target of a link. */
export function followSymlink(ctx: RequestContext, b: BucketState, m: ObjectMeta): ObjectMeta {
  if (m.type !== 'Symlink' || m.symlinkTarget === undefined) return m;
  const target = b.objects.get(m.symlinkTarget);
  if (!target || target.type === 'Symlink')
    throw new EmulatorError(404, 'SymlinkTargetNotExist', 'The symlink target object does not exist.');
  return target;
}
