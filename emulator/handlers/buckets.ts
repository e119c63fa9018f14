import type { RequestContext } from '../context';
import { EmulatorError } from '../errors';
import { drain } from '../request';
import { esc } from '../xml';

/** Bucket calls: list, create, delete, HEAD, and OSS's bucket info and location. */

export function listBuckets(ctx: RequestContext): void {
  const buckets = [...ctx.store.buckets.values()]
    .filter((b) => b.dialect === ctx.dialect.name && b.owner === ctx.account?.owner)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  ctx.sendXml('ListAllMyBucketsResult', ctx.dialect.listBuckets(buckets, ctx.owner()));
}

export async function putBucket(ctx: RequestContext): Promise<void> {
  await drain(ctx.req);
  const name = ctx.bucketName!;
  ctx.dialect.checkBucketName(name, ctx.account?.appId);
  if (ctx.store.getBucket(ctx.dialect.name, name)) {
    throw new EmulatorError(409, 'BucketAlreadyExists', 'The requested bucket name is not available.');
  }
  await ctx.store.createBucket(ctx.dialect.name, name, ctx.account!.owner!);
  ctx.send(200, ctx.dialect.createdBucketHeaders(name));
}

export async function deleteBucket(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  if (b.objects.size || b.uploads.size) throw new EmulatorError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.');
  await ctx.store.deleteBucket(b);
  ctx.cfg.inventory.registry.forget(b);
  ctx.send(204, {});
}

export function headBucket(ctx: RequestContext): void {
  ctx.bucket();
  ctx.send(200, ctx.dialect.headBucketHeaders());
}

export function bucketInfo(ctx: RequestContext): void {
  const b = ctx.bucket();
  if (!ctx.dialect.bucketInfo) throw new EmulatorError(501, 'NotImplemented', 'This operation is not supported by the local emulator.');
  ctx.sendXml('BucketInfo', ctx.dialect.bucketInfo(b, ctx.owner()));
}

export function bucketLocation(ctx: RequestContext): void {
  ctx.bucket();
  ctx.send(200, {}, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint>${esc(ctx.dialect.region)}</LocationConstraint>`);
}
