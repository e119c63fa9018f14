import type { InventoryConfig, ProviderKind } from '../storage/types';
import type { InventoryLocation } from './layout';

/**
 * Which of a bucket's inventories holds the CRC-64s of a prefix, and where its reports are written: what
 * Verify, Import CRC Inventory and Compare with Bucket read, from the bucket's own configurations.
 */

/** The id "Enable CRC Inventory…" gives the configuration it writes. */
export const CRC_INVENTORY_ID = 'bucket-integrity-crc';

/** What a bucket's inventory configurations offer the verify commands. */
export type InventoryChoice =
  | { kind: 'none' }
  /** Inventories exist, none lists the Crc64 field. */
  | { kind: 'no-crc64'; ids: string[] }
  | { kind: 'crc64'; config: InventoryConfig };

/**
 * The inventory to import: one with Crc64 that covers the whole bucket or the prefix (the one written by
 * "Enable CRC Inventory…" first, then enabled ones, then the widest filter).
 */
export function chooseInventory(configs: readonly InventoryConfig[], prefix = ''): InventoryChoice {
  if (configs.length === 0) return { kind: 'none' };
  const covering = configs.filter((c) => c.fields.includes('Crc64') && prefix.startsWith(c.prefix ?? ''));
  if (covering.length === 0) return { kind: 'no-crc64', ids: configs.map((c) => c.id) };
  const rank = (c: InventoryConfig): number => (c.id === CRC_INVENTORY_ID ? 0 : 2) + (c.enabled === false ? 1 : 0);
  const best = [...covering].sort((a, b) => rank(a) - rank(b) || (a.prefix ?? '').length - (b.prefix ?? '').length)[0];
  return { kind: 'crc64', config: best };
}

/** Where the reports of `config` on `bucket` are written. */
export function reportLocation(provider: ProviderKind, bucket: string, config: InventoryConfig): InventoryLocation {
  return {
    provider,
    sourceBucket: bucket,
    inventoryId: config.id,
    destinationBucket: config.destination.bucket,
    destinationPrefix: config.destination.prefix ?? '',
  };
}
