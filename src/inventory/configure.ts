import * as l10n from '@vscode/l10n';
import { StorageError } from '../storage/errors';
import { isInventoryRunner } from '../storage/capabilities';
import { providerTraits } from '../storage/traits';
import type { InventoryConfig, ObjectStore } from '../storage/types';
import { InventoryError } from './errors';
import { oneTimeInventoryId, type InventoryLocation } from './layout';

/** The fields a CRC inventory lists: what the record keeps of every object. */
export const CRC_INVENTORY_FIELDS: InventoryConfig['fields'] = ['Size', 'LastModified', 'ETag', 'StorageClass', 'Crc64'];

/**
 * Where an inventory's reports go, read from its configuration. Rejects with `InventoryError`:
 * `not-found` when the bucket has no inventory of that id (offer to enable one), `no-crc64-field` when
 * it was configured without Crc64 (check with HEADs instead, or reconfigure it).
 */
export async function inventoryLocation(
  store: Pick<ObjectStore, 'provider' | 'getInventory'>,
  bucket: string,
  id: string,
  signal?: AbortSignal,
): Promise<InventoryLocation> {
  let config: InventoryConfig;
  try {
    config = await store.getInventory(bucket, id, { signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-inventory') {
      throw new InventoryError(
        'not-found',
        l10n.t('The bucket {0} has no inventory "{1}".', bucket, id),
        l10n.t('Enable a CRC inventory on it (Enable CRC Inventory…) and wait for its first report.'),
      );
    }
    throw err;
  }
  if (!config.fields.includes('Crc64')) {
    throw new InventoryError(
      'no-crc64-field',
      l10n.t('The inventory "{0}" of {1} was configured without the Crc64 field, so it holds no CRC-64.', id, bucket),
      l10n.t('Enable CRC Inventory… reconfigures it with Crc64.'),
    );
  }
  return {
    provider: store.provider,
    sourceBucket: bucket,
    inventoryId: id,
    destinationBucket: config.destination.bucket,
    destinationPrefix: config.destination.prefix ?? '',
  };
}

export interface EnableOptions {
  id: string;
  destinationBucket: string;
  /** Report prefix in the destination bucket (default `bucket-integrity-inventory`). */
  prefix?: string;
  /** Only objects below this prefix. */
  filterPrefix?: string;
  /**
   * OSS: the RAM role the service writes the reports with (default `AliyunOSSRole`), and the account that
   * owns it (default: the bucket owner's id, read from GetBucketInfo).
   */
  roleName?: string;
  accountId?: string;
  /** COS: request the first report now (default true); false leaves it to the schedule. */
  requestReport?: boolean;
  signal?: AbortSignal;
  /** The clock, for the one-time run's id. */
  now?: Date;
}

/** The RAM role OSS documents for inventories; the console creates it. */
export const DEFAULT_OSS_ROLE = 'AliyunOSSRole';

/**
 * Configures a daily inventory with Crc64 (and size, ETag, last-modified, storage class) on `bucket`; on
 * a store that can (COS) also asks for a report now (`POST Bucket inventory`, under `oneTimeInventoryId`), so the first
 * verify need not wait a day; `findLatestManifest` finds that report with the daily ones.
 * Returns where its reports will be.
 */
export async function enableCrcInventory(
  store: Pick<ObjectStore, 'provider' | 'putInventory'>,
  bucket: string,
  options: EnableOptions,
): Promise<{ location: InventoryLocation; reportRequested: boolean }> {
  const prefix = options.prefix ?? 'bucket-integrity-inventory';
  const config: InventoryConfig = {
    id: options.id,
    enabled: true,
    destination: {
      bucket: options.destinationBucket,
      prefix,
      ...(options.accountId ? { accountId: options.accountId } : {}),
      ...(providerTraits(store.provider).inventory.writesWithRole ? { roleName: options.roleName || DEFAULT_OSS_ROLE } : {}),
    },
    format: 'CSV',
    frequency: 'Daily',
    fields: CRC_INVENTORY_FIELDS,
    ...(options.filterPrefix ? { prefix: options.filterPrefix } : {}),
  };
  await store.putInventory(bucket, config, { signal: options.signal });
  let reportRequested = false;
  if (isInventoryRunner(store) && options.requestReport !== false) {
    // A one-time run under the daily id is refused as a duplicate: it gets an id of its own.
    await store.runInventoryOnce(
      bucket,
      { ...config, id: oneTimeInventoryId(options.id, options.now ?? new Date()) },
      { signal: options.signal },
    );
    reportRequested = true;
  }
  return {
    location: {
      provider: store.provider,
      sourceBucket: bucket,
      inventoryId: options.id,
      destinationBucket: options.destinationBucket,
      destinationPrefix: prefix,
    },
    reportRequested,
  };
}
