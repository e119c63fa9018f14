import { describe } from '../shared/connection';
import { checkInventoryConfig, fieldsFromWire, fieldsToWire, many, text } from '../shared/inventory';
import type { InventoryConfig, RequestOptions } from '../types';
import type { OssCall } from './store';

/** OSS bucket inventory through ali-oss's PutBucketInventory, GetBucketInventory, ListBucketInventory and DeleteBucketInventory. */

type Obj = Record<string, unknown>;

/** The inventory object ali-oss's `putBucketInventory` takes. */
function toOss(config: InventoryConfig): Obj {
  const d = config.destination;
  return {
    id: config.id,
    isEnabled: config.enabled ?? true,
    prefix: config.prefix ?? '',
    OSSBucketDestination: { format: config.format, accountId: d.accountId ?? '', rolename: d.roleName ?? '', bucket: d.bucket, prefix: d.prefix ?? '' },
    frequency: config.frequency,
    includedObjectVersions: config.includedVersions ?? 'Current',
    optionalFields: { field: fieldsToWire(config.fields) },
  };
}

/** A configuration as ali-oss formats it (keys first-lowercased, the destination's too) → neutral. */
function fromOss(raw: Obj): InventoryConfig {
  const dest = (raw.OSSBucketDestination ?? {}) as Obj;
  const pick = (o: Obj, name: string): string | undefined => text(o[name]) ?? text(o[name.replace(/^./, (c) => c.toUpperCase())]);
  const fields = (raw.optionalFields ?? raw.OptionalFields ?? {}) as Obj;
  const config: InventoryConfig = {
    id: pick(raw, 'id') ?? '',
    enabled: pick(raw, 'isEnabled') !== 'false',
    destination: { bucket: (pick(dest, 'bucket') ?? '').replace(/^.*:::/, '') },
    format: 'CSV',
    frequency: pick(raw, 'frequency') === 'Weekly' ? 'Weekly' : 'Daily',
    fields: fieldsFromWire(many((fields.field ?? fields.Field) as unknown[] | undefined)),
    includedVersions: pick(raw, 'includedObjectVersions') === 'All' ? 'All' : 'Current',
  };
  const destPrefix = pick(dest, 'prefix');
  const accountId = pick(dest, 'accountId');
  const roleName = pick(dest, 'rolename');
  if (destPrefix) config.destination.prefix = destPrefix;
  if (accountId) config.destination.accountId = accountId;
  if (roleName) config.destination.roleName = roleName;
  const prefix = pick(raw, 'prefix');
  if (prefix) config.prefix = prefix;
  return config;
}

export async function putInventory(sdk: OssCall, bucket: string, config: InventoryConfig, options: RequestOptions = {}): Promise<void> {
  checkInventoryConfig(config);
  const ctx = { operation: `set inventory "${config.id}" of ${describe('oss', bucket)}`, bucket };
  await sdk(ctx, bucket, options.signal, (c) => c.putBucketInventory(bucket, toOss(config)));
}

export async function getInventory(sdk: OssCall, bucket: string, id: string, options: RequestOptions = {}): Promise<InventoryConfig> {
  const ctx = { operation: `read inventory "${id}" of ${describe('oss', bucket)}`, bucket };
  const res = await sdk(ctx, bucket, options.signal, (c) => c.getBucketInventory(bucket, id));
  return fromOss((res.inventory ?? {}) as Obj);
}

export async function listInventories(sdk: OssCall, bucket: string, options: RequestOptions = {}): Promise<InventoryConfig[]> {
  const ctx = { operation: `list the inventories of ${describe('oss', bucket)}`, bucket };
  const out: InventoryConfig[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await sdk(ctx, bucket, options.signal, (c) => c.listBucketInventory(bucket, token ? { continuationToken: token } : {}));
    for (const c of many(page.inventoryList as Obj[] | undefined)) if (c) out.push(fromOss(c));
    const next = text(page.nextContinuationToken);
    if (page.isTruncated !== true || !next || next === token) break;
    token = next;
  }
  return out;
}

export async function deleteInventory(sdk: OssCall, bucket: string, id: string, options: RequestOptions = {}): Promise<void> {
  const ctx = { operation: `delete inventory "${id}" of ${describe('oss', bucket)}`, bucket };
  await sdk(ctx, bucket, options.signal, (c) => c.deleteBucketInventory(bucket, id));
}
