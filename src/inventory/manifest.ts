import * as l10n from '@vscode/l10n';
import { InventoryError } from './errors';

/**
 * An inventory report's `manifest.json`, as both services document it (field names differ in case
 * between them, so they are looked up case-insensitively):
 * - COS, "清单功能概述" https://cloud.tencent.com/document/product/436/33702 and POST Bucket inventory
 *   https://www.tencentcloud.com/document/product/436/46869: `fileFormat`, `fileSchema` (the CSV's columns,
 *   comma separated), `listObjectCount`, `files: [{ key, size, md5Checksum }]`; the `Key` column is URL-encoded.
 * - OSS, "存储空间清单" https://help.aliyun.com/zh/oss/user-guide/bucket-inventory: `creationTimestamp`,
 *   `fileFormat: "CSV"`, `fileSchema`, `files: [{ key, size, MD5checksum }]`, `sourceBucket`; the data files
 *   are gzipped CSV, `Key` URL-encoded.
 */

export interface ManifestFile {
  key: string;
  size?: number;
  /** Hex MD5 of the compressed file, when the manifest gives it. */
  md5?: string;
}

export interface Manifest {
  /** Column names in CSV order, as written in `fileSchema`. */
  columns: string[];
  files: ManifestFile[];
  objectCount?: number;
  /** When the service began scanning the bucket (ms since the epoch), when the manifest says. */
  createdAt?: number;
}

/** Column positions the import needs; `crc64` is absent from inventories configured without it. */
export interface ColumnIndex {
  key: number;
  size: number;
  etag?: number;
  lastModified?: number;
  crc64?: number;
  storageClass?: number;
  /** Reports of all versions (`IncludedObjectVersions` All): the row's version is the current one. */
  isLatest?: number;
  isDeleteMarker?: number;
}

function field(obj: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

function bad(what: string): InventoryError {
  return new InventoryError(
    'bad-manifest',
    l10n.t('The inventory manifest {0}.', what),
    l10n.t('Run the inventory again; if it keeps happening, check its configuration.'),
  );
}

export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad(l10n.t('is not valid JSON'));
  }
  if (typeof json !== 'object' || json === null) throw bad(l10n.t('is not a JSON object'));
  const obj = json as Record<string, unknown>;
  const format = field(obj, 'fileFormat');
  if (typeof format === 'string' && format.toUpperCase() !== 'CSV')
    throw bad(l10n.t('describes {0} files; only CSV inventories can be read', format));
  const schema = field(obj, 'fileSchema');
  if (typeof schema !== 'string' || schema.trim() === '') throw bad(l10n.t('has no fileSchema'));
  const files = field(obj, 'files');
  if (!Array.isArray(files)) throw bad(l10n.t('has no files list'));
  const parsedFiles = files.map((f: unknown): ManifestFile => {
    if (typeof f !== 'object' || f === null) throw bad(l10n.t('lists a file that is not an object'));
    const o = f as Record<string, unknown>;
    const key = field(o, 'key');
    if (typeof key !== 'string' || key === '') throw bad(l10n.t('lists a file without a key'));
    const size = Number(field(o, 'size'));
    const md5 = field(o, 'md5Checksum');
    return { key, ...(Number.isFinite(size) ? { size } : {}), ...(typeof md5 === 'string' && md5 ? { md5: md5.toLowerCase() } : {}) };
  });
  const count = Number(field(obj, 'listObjectCount') ?? field(obj, 'filterObjectCount'));
  const created = Number(field(obj, 'creationTimestamp'));
  return {
    columns: schema.split(',').map((c) => c.trim()),
    files: parsedFiles,
    ...(Number.isFinite(count) && count >= 0 ? { objectCount: count } : {}),
    // OSS gives seconds; a value that large is already milliseconds.
    ...(Number.isFinite(created) && created > 0 ? { createdAt: created < 1e11 ? created * 1000 : created } : {}),
  };
}

/** Where each needed column is; `InventoryError('no-crc64-field')` when the inventory has no Crc64. */
export function columnIndex(manifest: Manifest, describe: string): ColumnIndex {
  const find = (re: RegExp) => {
    const i = manifest.columns.findIndex((c) => re.test(c));
    return i >= 0 ? i : undefined;
  };
  const key = find(/^key$/i);
  const size = find(/^size$/i);
  if (key === undefined || size === undefined) throw bad(l10n.t('has no Key or Size column'));
  const crc64 = find(/^crc64/i);
  if (crc64 === undefined) {
    const count = manifest.objectCount;
    throw new InventoryError(
      'no-crc64-field',
      l10n.t('The inventory {0} was configured without the Crc64 field, so it holds no CRC-64.', describe),
      count !== undefined
        ? l10n.t('Add Crc64 to its optional fields (Enable CRC Inventory…), or check with one HEAD per object (about {0} requests).', count)
        : l10n.t('Add Crc64 to its optional fields (Enable CRC Inventory…), or check with one HEAD per object.'),
      count,
    );
  }
  return {
    key,
    size,
    crc64,
    etag: find(/^etag$/i),
    lastModified: find(/^lastmodified(date)?$/i),
    storageClass: find(/^storageclass$/i),
    isLatest: find(/^islatest$/i),
    isDeleteMarker: find(/^isdeletemarker$/i),
  };
}
