import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import COS from 'cos-nodejs-sdk-v5';
import { describe } from '../shared/connection';
import { bucketFromArn, checkInventoryConfig, fieldsFromWire, fieldsToWire, frequencyFromWire, many, text } from '../shared/inventory';
import type { InventoryConfig, RequestOptions } from '../types';
import type { CosOps } from './copy';

/**
 * COS bucket inventory: PUT/GET/List/DELETE Bucket inventory through the SDK, and the one-time
 * POST Bucket inventory (which the SDK has no method for) through its generic `request`.
 */

type Xml = Record<string, unknown>;

/** The `<InventoryConfiguration>` of a config, as the SDK's JSON form of the XML. */
function toCos(config: InventoryConfig, region: string, oneTime: boolean): Xml {
  const d = config.destination;
  const destination: Xml = {
    Format: config.format,
    ...(d.accountId ? { AccountId: d.accountId } : {}),
    Bucket: `qcs::cos:${region}::${d.bucket}`,
    ...(d.prefix ? { Prefix: d.prefix } : {}),
  };
  return {
    Id: config.id,
    ...(oneTime ? {} : { IsEnabled: String(config.enabled ?? true) }),
    Destination: { COSBucketDestination: destination },
    ...(oneTime ? {} : { Schedule: { Frequency: config.frequency } }),
    ...(config.prefix ? { Filter: { Prefix: config.prefix } } : {}),
    IncludedObjectVersions: config.includedVersions ?? 'Current',
    OptionalFields: fieldsToWire(config.fields),
  };
}

/** A configuration as the SDK parsed it (`OptionalFields` already an array of names) → neutral. */
function fromCos(raw: Xml): InventoryConfig {
  const dest = ((raw.Destination as Xml | undefined)?.COSBucketDestination ?? {}) as Xml;
  const filter = (raw.Filter ?? {}) as Xml;
  const prefix = text(filter.Prefix) ?? text((filter.And as Xml | undefined)?.Prefix);
  const fields = raw.OptionalFields as unknown;
  const list = Array.isArray(fields) ? fields : many((fields as Xml | undefined)?.Field);
  const config: InventoryConfig = {
    id: text(raw.Id) ?? '',
    enabled: text(raw.IsEnabled) !== 'false',
    destination: { bucket: bucketFromArn(text(dest.Bucket) ?? '') },
    format: 'CSV',
    frequency: frequencyFromWire((raw.Schedule as Xml | undefined)?.Frequency),
    fields: fieldsFromWire(list),
    includedVersions: text(raw.IncludedObjectVersions) === 'All' ? 'All' : 'Current',
  };
  if (text(dest.Prefix)) config.destination.prefix = text(dest.Prefix);
  if (text(dest.AccountId)) config.destination.accountId = text(dest.AccountId);
  if (prefix) config.prefix = prefix;
  // The Go SDK's name for the day of a Monthly schedule (vendor-examples/cos-inventory.md §4).
  const day = Number(text((raw.Schedule as Xml | undefined)?.MonthlyDate));
  if (config.frequency === 'Monthly' && day >= 1) config.dayOfMonth = day;
  return config;
}

export async function putInventory(ops: CosOps, bucket: string, config: InventoryConfig, options: RequestOptions = {}): Promise<void> {
  checkInventoryConfig(config);
  const ctx = { operation: l10n.t('set inventory "{0}" of {1}', config.id, describe('cos', bucket)), bucket };
  const params = { Bucket: bucket, Region: ops.region, Id: config.id, InventoryConfiguration: toCos(config, ops.region, false) };
  await ops.sdk(ctx, options.signal, 'putBucketInventory', params, () => undefined);
}

export function getInventory(ops: CosOps, bucket: string, id: string, options: RequestOptions = {}): Promise<InventoryConfig> {
  const ctx = { operation: l10n.t('read inventory "{0}" of {1}', id, describe('cos', bucket)), bucket };
  return ops.sdk(ctx, options.signal, 'getBucketInventory', { Bucket: bucket, Region: ops.region, Id: id }, (data) =>
    fromCos((data.InventoryConfiguration ?? {}) as Xml),
  );
}

export async function listInventories(ops: CosOps, bucket: string, options: RequestOptions = {}): Promise<InventoryConfig[]> {
  const ctx = { operation: l10n.t('list the inventories of {0}', describe('cos', bucket)), bucket };
  const out: InventoryConfig[] = [];
  let token: string | undefined;
  for (;;) {
    const params = { Bucket: bucket, Region: ops.region, ...(token ? { ContinuationToken: token } : {}) };
    const page = await ops.sdk(ctx, options.signal, 'listBucketInventory', params, (data) => data);
    for (const c of many(page.InventoryConfigurations as Xml[] | undefined)) if (c) out.push(fromCos(c));
    const next = text(page.NextContinuationToken);
    if (text(page.IsTruncated) !== 'true' || !next || next === token) break;
    token = next;
  }
  return out;
}

export async function deleteInventory(ops: CosOps, bucket: string, id: string, options: RequestOptions = {}): Promise<void> {
  const ctx = { operation: l10n.t('delete inventory "{0}" of {1}', id, describe('cos', bucket)), bucket };
  await ops.sdk(ctx, options.signal, 'deleteBucketInventory', { Bucket: bucket, Region: ops.region, Id: id }, () => undefined);
}

/** POST Bucket inventory: one report now. */
export function runInventoryOnce(
  ops: CosOps,
  bucket: string,
  config: InventoryConfig,
  options: RequestOptions = {},
): Promise<{ jobId?: string }> {
  checkInventoryConfig(config);
  const ctx = { operation: l10n.t('run inventory "{0}" of {1} once', config.id, describe('cos', bucket)), bucket };
  const util = (COS as unknown as { util: { json2xml(o: object): string } }).util;
  const xml = util.json2xml({
    InventoryConfiguration: { ...toCos(config, ops.region, true), OptionalFields: { Field: fieldsToWire(config.fields) } },
  });
  const params = () => ({
    Method: 'POST',
    Bucket: bucket,
    Region: ops.region,
    Action: 'inventory',
    Query: { id: config.id },
    Body: xml,
    Headers: { 'Content-Type': 'application/xml', 'Content-MD5': createHash('md5').update(xml).digest('base64') },
  });
  return ops.sdk(ctx, options.signal, 'request', params, (data) => {
    const result = (data.PostInventoryResult ?? {}) as Xml;
    const jobId = text(result.JobId) ?? /<JobId>([^<]*)<\/JobId>/.exec(text(data.Body) ?? '')?.[1];
    return jobId ? { jobId } : {};
  });
}
