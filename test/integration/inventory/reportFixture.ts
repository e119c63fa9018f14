import { createHash } from 'node:crypto';
import { createGzip, gzipSync } from 'node:zlib';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';

/**
 * Inventory reports written into a destination bucket the way the services document them (see
 * src/inventory/layout.ts for the references): a run folder with manifest.json, gzipped CSV data files
 * without a header row, keys URL-encoded.
 */

export interface FixtureRow {
  key: string;
  size: number;
  etag: string;
  crc64?: string;
  lastModified?: string;
}

export interface FixtureReport {
  provider: ProviderKind;
  sourceBucket: string;
  inventoryId: string;
  prefix: string;
  /** Run folder name, e.g. 20240102 (COS) or 2024-01-02T03-04Z (OSS). */
  run: string;
  /** One array of rows per data file. */
  files: FixtureRow[][];
  withCrc?: boolean;
  /** Replace a data file's bytes after its manifest entry was computed (damage). */
  damage?: (index: number, gz: Buffer) => Buffer;
  /** A data file given as its gzipped bytes instead of rows (its manifest entry describes these bytes). */
  rawFiles?: Record<number, Buffer>;
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function runFolder(r: Pick<FixtureReport, 'provider' | 'sourceBucket' | 'inventoryId' | 'prefix' | 'run'>): string {
  const base = r.prefix ? `${r.prefix}/` : '';
  if (r.provider === 'oss') return `${base}${r.sourceBucket}/${r.inventoryId}/${r.run}/`;
  const [, name, appId] = /^(.*)-(\d+)$/.exec(r.sourceBucket)!;
  return `${base}${appId}/${name}/${r.inventoryId}/${r.run}/`;
}

/** Uploads the report into `destBucket`; returns the data files' keys. */
export async function writeReport(store: ObjectStore, destBucket: string, r: FixtureReport): Promise<string[]> {
  const withCrc = r.withCrc ?? true;
  const columns =
    r.provider === 'cos'
      ? ['Appid', 'Bucket', 'Key', 'Size', 'LastModifiedDate', 'ETag', 'StorageClass', ...(withCrc ? ['Crc64'] : [])]
      : ['Bucket', 'Key', 'Size', 'StorageClass', 'LastModifiedDate', 'ETag', ...(withCrc ? ['Crc64'] : [])];
  const folder = runFolder(r);
  const dataFolder = folder.replace(/[^/]+\/$/, 'data/');
  const files: Array<{ key: string; size: number; md5: string }> = [];
  for (const [i, rows] of r.files.entries()) {
    const lines = rows.map((row) => {
      const cells: Record<string, string> = {
        Appid: '1250000000',
        Bucket: r.sourceBucket,
        Key: encodeURIComponent(row.key),
        Size: String(row.size),
        LastModifiedDate: row.lastModified ?? '2024-01-02T03:04:05.000Z',
        ETag: `"${row.etag}"`,
        StorageClass: 'STANDARD',
        Crc64: row.crc64 ?? '',
      };
      return columns.map((c) => csvCell(cells[c])).join(',');
    });
    const gz = r.rawFiles?.[i] ?? gzipSync(Buffer.from(lines.map((l) => `${l}\n`).join('')));
    const key = `${dataFolder}${r.run}-${i}.csv.gz`;
    files.push({ key, size: gz.length, md5: createHash('md5').update(gz).digest('hex') });
    await store.put(destBucket, key, r.damage ? r.damage(i, gz) : gz);
  }
  const manifest =
    r.provider === 'cos'
      ? {
          sourceBucket: r.sourceBucket,
          fileFormat: 'CSV',
          listObjectCount: r.files.flat().length,
          fileSchema: columns.join(', '),
          files: files.map((f) => ({ key: f.key, size: f.size, md5Checksum: f.md5 })),
        }
      : {
          creationTimestamp: '1704164645',
          destinationBucket: destBucket,
          fileFormat: 'CSV',
          fileSchema: columns.join(', '),
          files: files.map((f) => ({ MD5checksum: f.md5.toUpperCase(), key: f.key, size: f.size })),
          sourceBucket: r.sourceBucket,
          version: '2019-09-01',
        };
  await store.put(destBucket, `${folder}manifest.json`, Buffer.from(JSON.stringify(manifest)));
  return files.map((f) => f.key);
}

/**
 * A gzip stream that unpacks to `bytes` copies of one byte (one huge CSV cell), compressed as it is made:
 * only the compressed output (about a thousandth of `bytes`) is ever held.
 */
export async function gzipBomb(bytes: number, byte = 0x61): Promise<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024, byte);
  const out: Buffer[] = [];
  const gzip = createGzip({ level: 9 });
  gzip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve, reject) => gzip.on('end', resolve).on('error', reject));
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (!gzip.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}
