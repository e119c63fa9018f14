import * as l10n from '@vscode/l10n';
import type { ObjectStore } from '../storage/types';
import { InventoryError } from './errors';
import { findLatestManifest, type InventoryLocation } from './layout';
import { columnIndex } from './manifest';
import { cellIsTrue, CRC_DIGITS, decodeKey, readGzippedRows } from './parse';

/**
 * The versions a report of all versions (`IncludedObjectVersions` All) lists, for `verify --all-versions`:
 * a version never changes, so the CRC-64 its row gives is that version's for good, and the check needs no
 * HEAD when the live versions listing still shows the version with the size and ETag of the row. Delete
 * markers are left out (they have no bytes). The rows are held in memory, one small entry per version
 * below the prefix.
 */

export interface InventoryVersion {
  size: number;
  etag?: string;
  crc64?: string;
}

export interface InventoryVersions {
  /** The report's run folder, e.g. `20240102`. */
  run: string;
  /** By `versionKey(key, versionId)`. */
  byVersion: Map<string, InventoryVersion>;
}

export const versionKey = (key: string, versionId: string): string => `${key}\n${versionId}`;

export async function readInventoryVersions(
  store: Pick<ObjectStore, 'list' | 'get'>,
  location: InventoryLocation,
  prefix: string,
  signal?: AbortSignal,
): Promise<InventoryVersions> {
  const { manifest, run } = await findLatestManifest(store, location, signal);
  const cols = columnIndex(manifest, location.inventoryId);
  const versionCol = manifest.columns.findIndex((c) => /^versionid$/i.test(c));
  if (versionCol < 0) {
    throw new InventoryError(
      'current-only',
      l10n.t('The inventory "{0}" lists current versions only, so it gives no CRC-64 of older versions.', location.inventoryId),
      l10n.t('Configure it with IncludedObjectVersions All to check every version without a HEAD each.'),
    );
  }
  const byVersion = new Map<string, InventoryVersion>();
  for (const file of manifest.files) {
    const { body } = await store.get(location.destinationBucket, file.key, { signal });
    await readGzippedRows(
      body,
      file.size,
      (rows) => {
        for (const row of rows) {
          if (cellIsTrue(row, cols.isDeleteMarker)) continue;
          let key: string;
          try {
            key = decodeKey(row[cols.key] ?? '');
          } catch {
            continue;
          }
          const versionId = (row[versionCol] ?? '').trim();
          const size = Number(row[cols.size]);
          if (!key.startsWith(prefix) || versionId === '' || !Number.isSafeInteger(size) || size < 0) continue;
          const crc = cols.crc64 === undefined ? '' : (row[cols.crc64] ?? '').trim();
          const etag = cols.etag === undefined ? '' : (row[cols.etag] ?? '').trim();
          byVersion.set(versionKey(key, versionId), {
            size,
            ...(etag ? { etag } : {}),
            ...(CRC_DIGITS.test(crc) ? { crc64: crc } : {}),
          });
        }
      },
      { signal },
    );
  }
  return { run, byVersion };
}
