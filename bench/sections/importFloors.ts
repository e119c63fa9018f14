import { execFile } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { findLatestManifest } from '../../src/inventory';
import { CrcRecord } from '../../src/record';
import type { ObjectColumns } from '../../src/record/types';
import { createObjectStore } from '../../src/storage';
import type { ConnectionOptions } from '../../src/storage/types';

/**
 * The floors of an inventory import, measured in the same run as the import: `zcat` of the report's
 * data files (already on disk) counted by `wc -l` — unpacking alone, nothing parsed or kept — and the
 * record's upserts alone (`upsertColumns`, as the import writes; a fifth as many rows, in batches of 5,000, into an empty record file, nothing
 * fetched, unpacked or parsed), the ceiling of SQLite compiled to WebAssembly on this machine.
 */

const execFileAsync = promisify(execFile);

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function medianOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

export interface FloorJob {
  connection: ConnectionOptions;
  bucket: string;
  inventory: { id: string; bucket: string; prefix: string };
  dir: string;
  log(line: string): void;
}

export interface ImportFloors {
  zcat: Spread;
  /** Rows per second of the record's upserts alone. */
  engine: number;
  engineRows: number;
  files: number;
  rows: number;
}

export async function importFloors(job: FloorJob): Promise<ImportFloors> {
  const store = await createObjectStore(job.connection);
  const location = {
    provider: job.connection.provider,
    sourceBucket: job.bucket,
    inventoryId: job.inventory.id,
    destinationBucket: job.inventory.bucket,
    destinationPrefix: job.inventory.prefix,
  };
  const { manifest } = await findLatestManifest(store, location);
  const paths: string[] = [];
  for (const [i, file] of manifest.files.entries()) {
    const path = join(job.dir, `floor-${i}.csv.gz`);
    const { body } = await store.get(location.destinationBucket, file.key);
    await pipeline(body, createWriteStream(path));
    paths.push(path);
  }
  const rates: number[] = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const { stdout } = await execFileAsync('sh', ['-c', 'zcat "$@" | wc -l', 'zcat', ...paths]);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rows = Number(stdout.trim());
    rates.push(rows / seconds);
  }
  const zcat = medianOf(rates);
  job.log(`verify: floor zcat | wc -l: ${rows} rows, ${Math.round(zcat.median)} rows/s`);
  // A fifth of the rows is enough for a rate (the record grows the same way).
  const engineRows = Math.ceil(rows / 5);
  const engine = await upsertRate(join(job.dir, 'floor-engine.sqlite'), engineRows);
  job.log(`verify: floor record upserts alone: ${Math.round(engine)} rows/s`);
  for (const p of paths) rmSync(p, { force: true });
  return { zcat, engine, engineRows, files: paths.length, rows };
}

async function upsertRate(file: string, rows: number): Promise<number> {
  const record = await CrcRecord.open(file);
  try {
    const scope = { profile: 'bench', bucket: 'floor-1250000000' };
    const t0 = process.hrtime.bigint();
    record.transaction(() => {
      for (let i = 0; i < rows; i += 5000) {
        // Columns, as the import's parser thread hands them over (upsertColumns).
        const batch: ObjectColumns = {
          source: 'inventory',
          checkedAt: 1_700_000_000_000,
          keys: [],
          etags: [],
          sizes: [],
          lastModified: [],
          crc64s: [],
        };
        for (let j = i; j < Math.min(rows, i + 5000); j++) {
          batch.keys.push(`big/${String(j).padStart(7, '0')}`);
          batch.etags.push('d41d8cd98f00b204e9800998ecf8427e');
          batch.sizes.push(32);
          batch.lastModified.push(1_700_000_000_000);
          batch.crc64s.push('12345678901234567890');
        }
        record.objects.upsertColumns(scope, batch);
      }
    });
    return rows / (Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    record.close();
  }
}
