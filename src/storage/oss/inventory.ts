import * as l10n from '@vscode/l10n';
import { describe } from '../shared/connection';
import { StorageError } from '../errors';
import { checkInventoryConfig, fieldsFromWire, fieldsToWire, frequencyFromWire, many, text } from '../shared/inventory';
import type { InventoryConfig, RequestOptions } from '../types';
import type { OssCall } from './client';

/** OSS bucket inventory through ali-oss's PutBucketInventory, GetBucketInventory, ListBucketInventory and DeleteBucketInventory. */

type Obj = Record<string, unknown>;

/** The inventory object ali-oss's `putBucketInventory` takes. */
function toOss(config: InventoryConfig): Obj {
  const d = config.destination;
  return {
    id: config.id,
    isEnabled: config.enabled ?? true,
    prefix: config.prefix ?? '',
    OSSBucketDestination: {
      format: config.format,
      accountId: d.accountId ?? '',
      rolename: d.roleName ?? '',
      bucket: d.bucket,
      prefix: d.prefix ?? '',
    },
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
    frequency: frequencyFromWire(pick(raw, 'frequency') ?? pick((raw.schedule ?? raw.Schedule ?? {}) as Obj, 'frequency')),
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
  const day = Number(pick(raw, 'dayOfMonth') ?? pick((raw.schedule ?? raw.Schedule ?? {}) as Obj, 'dayOfMonth'));
  if (config.frequency === 'Monthly' && day >= 1) config.dayOfMonth = day;
  return config;
}

/**
 * OSS refuses an empty AccountId, or one that is not the granting account's (EC 0020-00000028,
 * https://help.aliyun.com/document_detail/600083.html), and writes with the role
 * `acs:ram::<AccountId>:role/<name>`. Checked here so the user hears it before the request.
 */
function checkOssDestination(config: InventoryConfig, accountId: string): void {
  const bad = (what: string): StorageError =>
    new StorageError(
      'invalid-request',
      l10n.t('The inventory configuration "{0}" is not valid: {1}.', config.id, what),
      l10n.t('Correct the configuration and retry.'),
    );
  if (!/^\d{1,32}$/.test(accountId))
    throw bad(l10n.t('the OSS account id "{0}" is not an account id (digits, as the console shows it)', accountId));
  const role = config.destination.roleName ?? '';
  // RAM role names: 1-64 letters, digits, "." and "-".
  if (!/^[A-Za-z0-9.-]{1,64}$/.test(role))
    throw bad(
      l10n.t(
        '"{0}" is not a RAM role name (1-64 letters, digits, "." and "-"), so {1} is no role ARN',
        role,
        `acs:ram::${accountId}:role/${role}`,
      ),
    );
}

/** The bucket owner's account id, as GetBucketInfo shows it. */
async function ownerId(sdk: OssCall, bucket: string, signal?: AbortSignal): Promise<string> {
  const ctx = { operation: l10n.t('read the owner of {0}', describe('oss', bucket)), bucket };
  const res = await sdk(ctx, bucket, signal, (c) => c.getBucketInfo(bucket));
  return text(((res.bucket ?? {}) as { Owner?: { ID?: unknown } }).Owner?.ID) ?? '';
}

export async function putInventory(sdk: OssCall, bucket: string, config: InventoryConfig, options: RequestOptions = {}): Promise<void> {
  checkInventoryConfig(config);
  // No account id given: the source bucket's owner, which is the account that grants OSS the role.
  const accountId = config.destination.accountId ?? (await ownerId(sdk, bucket, options.signal));
  checkOssDestination(config, accountId);
  const ctx = { operation: l10n.t('set inventory "{0}" of {1}', config.id, describe('oss', bucket)), bucket };
  const withAccount = { ...config, destination: { ...config.destination, accountId } };
  const put = () => sdk(ctx, bucket, options.signal, (c) => c.putBucketInventory(bucket, toOss(withAccount)));
  try {
    await put();
  } catch (err) {
    // OSS creates only (EC 0020-00000042, https://help.aliyun.com/en/oss/user-guide/0020-00000042):
    // replacing a configuration is a delete, then the put.
    if (!(err instanceof StorageError && err.code === 'InventoryConfigurationAlreadyExists')) throw err;
    await deleteInventory(sdk, bucket, config.id, options);
    await put();
  }
}

export async function getInventory(sdk: OssCall, bucket: string, id: string, options: RequestOptions = {}): Promise<InventoryConfig> {
  const ctx = { operation: l10n.t('read inventory "{0}" of {1}', id, describe('oss', bucket)), bucket };
  const res = await sdk(ctx, bucket, options.signal, (c) => c.getBucketInventory(bucket, id));
  return fromOss((res.inventory ?? {}) as Obj);
}

export async function listInventories(sdk: OssCall, bucket: string, options: RequestOptions = {}): Promise<InventoryConfig[]> {
  const ctx = { operation: l10n.t('list the inventories of {0}', describe('oss', bucket)), bucket };
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
  const ctx = { operation: l10n.t('delete inventory "{0}" of {1}', id, describe('oss', bucket)), bucket };
  await sdk(ctx, bucket, options.signal, (c) => c.deleteBucketInventory(bucket, id));
}
