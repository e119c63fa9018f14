import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { DialectName } from '../types';
import { OPTIONAL_FIELDS, type InventoryConfig } from './config';

/**
 * Writing an inventory report into the destination bucket, in each service's documented layout
 * (vendor-examples/oss-inventory.md §1-§3, cos-inventory.md §1-§3):
 *
 * OSS: {destPrefix/}{srcBucket}/{inventoryId}/YYYY-MM-DDTHH-MMZ/manifest.json and manifest.checksum,
 *   {destPrefix/}{srcBucket}/{inventoryId}/data/{uuid}.csv.gz, {uuid}-1.csv.gz, {uuid}-2.csv.gz, ...
 *   The manifest has `creationTimestamp` (Unix seconds as a string), numeric sizes and `MD5checksum`;
 *   `LastModifiedDate` cells are written `2025-04-14T07-06-00Z` (hyphens in the time), as OSS's example row;
 *   the optional columns follow the order they were configured in.
 * COS: {destPrefix/}{appId}/{srcBucket without -appId}/{inventoryId}/YYYYMMDD/manifest.json and manifest.checksum,
 *   data files directly in {destPrefix/}{appId}/{srcBucket without -appId}/{inventoryId}/ (no `data/` folder).
 *   The manifest has `sourceAppid`, `destinationAppid`, every count and size as a string, `md5Checksum`, and
 *   no `creationTimestamp` or `version`. The columns are `Appid, Bucket, Key, <fields>` in OPTIONAL_FIELDS order.
 *
 * Data files are gzipped CSV without a header row: every cell in double quotes, keys URL-encoded
 * (`encodeURIComponent`, so a space is %20 and `+` is %2B). An object stored without a CRC-64 has an empty
 * Crc64 cell. manifest.checksum holds the MD5 (hex) of manifest.json.
 */

/** What the report reads of an object. */
export interface ReportObject {
  key: string;
  size: number;
  etag: string;
  lastModified: number;
  type: string;
  crc64?: string;
  /** Reports of all versions (`IncludedObjectVersions` All): the version's id, whether it is current, a delete marker. */
  versionId?: string;
  isLatest?: boolean;
  deleteMarker?: boolean;
}

/** The source bucket's objects in key order (the emulator's ObjectIndex). */
export interface ReportSource {
  keysFrom(prefix: string): Iterable<string>;
  get(key: string): ReportObject | undefined;
  /** Every version and delete marker of a key, newest first (reports of all versions). */
  versionsOf?(key: string): ReportObject[];
}

/** The version columns of a report of all versions (OSS: right after Key; COS: last, as its example manifest). */
const VERSION_COLUMNS = ['VersionId', 'IsLatest', 'IsDeleteMarker'];

/** Where report files go: stores one object in the destination bucket and tells its size and MD5 (hex). */
export type ReportSink = (key: string, body: Readable, contentType: string) => Promise<{ size: number; md5: string }>;

export interface ReportRun {
  dialect: DialectName;
  /** Source bucket name as addressed (COS: with `-appId`). */
  srcBucket: string;
  /** COS account id (the bucket name's suffix). */
  appId: string;
  config: InventoryConfig;
  /** Rows per data file before the next one starts; default 100,000. */
  rowsPerFile?: number;
  now?: Date;
}

export interface ReportResult {
  manifestKey: string;
  checksumKey: string;
  dataKeys: string[];
  rows: number;
}

const DEFAULT_ROWS_PER_FILE = 100_000;
const CHUNK_CHARS = 256 * 1024;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The folders of one run: where its data files and its manifest go. */
export function reportPaths(run: ReportRun, now: Date): { base: string; manifestDir: string } {
  const { dialect, config, srcBucket, appId } = run;
  const lead = config.destPrefix ? `${config.destPrefix}/` : '';
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  if (dialect === 'cos') {
    const short = srcBucket.endsWith(`-${appId}`) ? srcBucket.slice(0, -appId.length - 1) : srcBucket;
    const base = `${lead}${appId}/${short}/${config.id}`;
    return { base, manifestDir: `${base}/${date}` };
  }
  const base = `${lead}${srcBucket}/${config.id}`;
  const stamp = `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}T${pad(now.getUTCHours())}-${pad(now.getUTCMinutes())}Z`;
  return { base, manifestDir: `${base}/${stamp}` };
}

/** The CSV columns of a run, as named in the manifest's fileSchema. */
export function reportColumns(dialect: DialectName, config: InventoryConfig): string[] {
  const all = config.includedObjectVersions === 'All';
  if (dialect === 'oss')
    return ['Bucket', 'Key', ...(all ? VERSION_COLUMNS : []), ...config.optionalFields.filter((f, i, list) => list.indexOf(f) === i)];
  return [
    'Appid',
    'Bucket',
    'Key',
    ...OPTIONAL_FIELDS.cos.filter((f) => config.optionalFields.includes(f)),
    ...(all ? VERSION_COLUMNS : []),
  ];
}

/** OSS's report date: `2025-04-14T07-06-00Z`; COS documents no row, so it keeps ISO 8601. */
function reportDate(dialect: DialectName, ms: number): string {
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return dialect === 'oss' ? iso.replace(/T(\d{2}):(\d{2}):(\d{2})Z$/, 'T$1-$2-$3Z') : iso;
}

function cell(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function rowWriter(run: ReportRun, columns: string[]): (m: ReportObject) => string {
  const cos = run.dialect === 'cos';
  // Seeded objects share one time: format it once, not once per row.
  let lastMs = NaN;
  let lastIso = '';
  const isoDate = (ms: number) => {
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = reportDate(run.dialect, ms);
    }
    return lastIso;
  };
  const values: Record<string, (m: ReportObject) => string> = {
    Appid: () => run.appId,
    Bucket: () => run.srcBucket,
    Key: (m) => encodeURIComponent(m.key),
    Size: (m) => String(m.size),
    LastModifiedDate: (m) => isoDate(m.lastModified),
    ETag: (m) => m.etag.replace(/"/g, ''),
    StorageClass: () => (cos ? 'STANDARD' : 'Standard'),
    IsMultipartUploaded: (m) => String(m.type === 'Multipart'),
    Crc64: (m) => m.crc64 ?? '',
    EncryptionStatus: () => 'false',
    ObjectAcl: () => 'default',
    TaggingCount: () => '0',
    ObjectType: (m) => m.type,
    TransitionTime: () => '',
    // Without access tracking OSS "通常显示为 null" (oss-inventory.md §2).
    LastAccessDate: () => 'null',
    VersionId: (m) => m.versionId ?? 'null',
    IsLatest: (m) => String(m.isLatest ?? true),
    IsDeleteMarker: (m) => String(m.deleteMarker ?? false),
  };
  const fns = columns.map((c) => values[c] ?? (() => ''));
  return (m) => `${fns.map((f) => cell(f(m))).join(',')}\n`;
}

/**
 * Write one inventory report: data files of at most `rowsPerFile` rows each, streamed through gzip into the
 * sink (rows are made a chunk at a time, never the whole report in memory), then the manifest and its checksum.
 */
export async function writeInventoryReport(source: ReportSource, sink: ReportSink, run: ReportRun): Promise<ReportResult> {
  const now = run.now ?? new Date();
  const rowsPerFile = run.rowsPerFile ?? DEFAULT_ROWS_PER_FILE;
  if (!Number.isInteger(rowsPerFile) || rowsPerFile < 1) throw new Error('rowsPerFile must be a positive integer');
  const { base, manifestDir } = reportPaths(run, now);
  const columns = reportColumns(run.dialect, run.config);
  const row = rowWriter(run, columns);
  const allVersions = run.config.includedObjectVersions === 'All' && source.versionsOf !== undefined;
  const keys = source.keysFrom(run.config.filterPrefix)[Symbol.iterator]();
  let next = keys.next();
  const uuid = randomUUID();
  const files: { key: string; size: number; md5: string }[] = [];
  let rows = 0;
  let totalSize = 0;
  while (!next.done) {
    const key = `${base}/${run.dialect === 'oss' ? 'data/' : ''}${uuid}${files.length ? `-${files.length}` : ''}.csv.gz`;
    function* chunks(): Generator<string> {
      let chunk = '';
      let inFile = 0;
      while (!next.done && inFile < rowsPerFile) {
        const found = allVersions ? source.versionsOf!(next.value) : [source.get(next.value)];
        next = keys.next();
        for (const m of found) {
          if (!m) continue;
          chunk += row(m);
          inFile++;
          rows++;
          totalSize += m.size;
        }
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    const gzip = createGzip();
    const feeding = pipeline(Readable.from(chunks()), gzip);
    const [stored] = await Promise.all([sink(key, gzip, 'application/x-gzip'), feeding]);
    files.push({ key, ...stored });
  }
  const manifest = manifestJson(run, now, columns, files, rows, totalSize);
  const manifestKey = `${manifestDir}/manifest.json`;
  const checksumKey = `${manifestDir}/manifest.checksum`;
  const m = await sink(manifestKey, Readable.from([Buffer.from(manifest)]), 'application/json');
  await sink(checksumKey, Readable.from([Buffer.from(m.md5)]), 'text/plain');
  return { manifestKey, checksumKey, dataKeys: files.map((f) => f.key), rows };
}

function manifestJson(
  run: ReportRun,
  now: Date,
  columns: string[],
  files: { key: string; size: number; md5: string }[],
  rows: number,
  totalSize: number,
): string {
  if (run.dialect === 'oss') {
    return JSON.stringify(
      {
        creationTimestamp: String(Math.floor(now.getTime() / 1000)),
        destinationBucket: run.config.destBucket,
        fileFormat: 'CSV',
        fileSchema: columns.join(', '),
        files: files.map((f) => ({ MD5checksum: f.md5.toUpperCase(), key: f.key, size: f.size })),
        sourceBucket: run.srcBucket,
        version: '2019-09-01',
      },
      null,
      1,
    );
  }
  const destAppid = /-(\d+)$/.exec(run.config.destBucket)?.[1] ?? run.appId;
  return JSON.stringify(
    {
      sourceAppid: run.appId,
      sourceBucket: run.srcBucket,
      destinationAppid: destAppid,
      destinationBucket: run.config.destBucket,
      fileFormat: 'CSV',
      listObjectCount: String(rows),
      listStorageSize: String(totalSize),
      filterObjectCount: String(rows),
      filterStorageSize: String(totalSize),
      fileSchema: columns.join(', '),
      files: files.map((f) => ({ key: f.key, size: String(f.size), md5Checksum: f.md5 })),
    },
    null,
    1,
  );
}
