import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createObjectStore } from '../src/storage';
import type { ConnectionOptions } from '../src/storage/types';
import { migrateObject } from '../src/transfer/migrate';
import { DEFAULT_MIGRATE_CONCURRENCY, DEFAULT_MIGRATE_PART_SIZE } from '../src/transfer/migrate/types';
import { MiB } from '../src/transfer/planner';
import { type ChildMeasure, measureModes, startEmulatorProcess, stopEmulatorProcess } from './emulatorProcess';
import type { BenchSection } from './section';

/**
 * Migration row of the benchmark: a 1 GiB COS object migrated to OSS through this process, with CRC-64
 * verification (source, stream and destination) and with verification switched off (the same stream
 * copy, nothing hashed), in one run. The emulator runs in its own process; each migration runs in a fresh
 * child (this script with `--migrate-child`) so its peak RSS is that of one migration.
 */

export const MIGRATE_CHILD_FLAG = '--migrate-child';
const JOB_ENV = 'BUCKET_INTEGRITY_BENCH_MIGRATE_JOB';
const COS_BUCKET = 'bench-migrate-1250000000';
const OSS_BUCKET = 'bench-migrate-oss';
const SOURCE_KEY = 'source/object.bin';

interface ChildJob {
  cos: ConnectionOptions;
  oss: ConnectionOptions;
  key: string;
  verify: boolean;
}

type ChildResult = ChildMeasure;

/** The child side: one migration, then its time and the process's peak RSS as JSON on stdout. */
export async function migrateChild(): Promise<void> {
  const job = JSON.parse(process.env[JOB_ENV] ?? '') as ChildJob;
  const [source, destination] = await Promise.all([createObjectStore(job.cos), createObjectStore(job.oss)]);
  const started = process.hrtime.bigint();
  const result = await migrateObject({
    source: { store: source, bucket: COS_BUCKET, key: SOURCE_KEY },
    destination: { store: destination, bucket: OSS_BUCKET, key: job.key },
    verify: job.verify,
    ifExists: 'overwrite',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await destination.deleteObject(OSS_BUCKET, job.key);
  const out: ChildResult = {
    seconds,
    peak_rss_MiB: process.resourceUsage().maxRSS / 1024,
    verified: result.verified,
    reason: result.reason,
  };
  process.stdout.write(JSON.stringify(out));
}

/** The source object, written part by part from random blocks: no file on disk, no 1 GiB buffer. */
async function writeSource(connection: ConnectionOptions, size: number): Promise<void> {
  const store = await createObjectStore(connection);
  const { uploadId } = await store.createMultipartUpload(COS_BUCKET, SOURCE_KEY);
  const parts: Array<{ partNumber: number; etag: string }> = [];
  for (let offset = 0, n = 1; offset < size; offset += DEFAULT_MIGRATE_PART_SIZE, n++) {
    const part = await store.uploadPart(
      COS_BUCKET,
      SOURCE_KEY,
      uploadId,
      n,
      randomBytes(Math.min(DEFAULT_MIGRATE_PART_SIZE, size - offset)),
    );
    parts.push({ partNumber: n, etag: part.etag });
  }
  const done = await store.completeMultipartUpload(COS_BUCKET, SOURCE_KEY, uploadId, parts);
  if (!done.crc64) throw new Error('the source object has no CRC-64');
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export interface MigrateBenchResult {
  verified_MBps: number;
  unverified_MBps: number;
  peak_rss_MiB: number;
  size_MiB: number;
}

export async function benchMigrate(options: {
  tmpDir: string;
  emulatorScript: string;
  benchScript: string;
  sizeBytes?: number;
  log?: (line: string) => void;
}): Promise<MigrateBenchResult> {
  const size = options.sizeBytes ?? 1024 * MiB;
  const log = options.log ?? (() => undefined);
  mkdirSync(options.tmpDir, { recursive: true });
  const dir = mkdtempSync(join(options.tmpDir, 'migrate-'));
  const seed = `module.exports = async (emu) => {
  await emu.createBucket('cos', ${JSON.stringify(COS_BUCKET)});
  await emu.createBucket('oss', ${JSON.stringify(OSS_BUCKET)});
};\n`;
  const emulator = await startEmulatorProcess(options.emulatorScript, join(dir, 'emulator-data'), join(dir, 'seed.js'), seed);
  try {
    const cos: ConnectionOptions = {
      provider: 'cos',
      region: emulator.cos.region,
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: emulator.cos.secretId, secretAccessKey: emulator.cos.secretKey },
    };
    const oss: ConnectionOptions = {
      provider: 'oss',
      region: emulator.oss.region,
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: emulator.oss.accessKeyId, secretAccessKey: emulator.oss.accessKeySecret },
    };
    log(`migrate: writing a ${round(size / MiB)} MiB COS object`);
    await writeSource(cos, size);
    const best = await measureModes({
      label: 'migration',
      sizeBytes: size,
      benchScript: options.benchScript,
      flag: MIGRATE_CHILD_FLAG,
      envName: JOB_ENV,
      jobFor: (verify) => ({ cos, oss, key: verify ? 'verified.bin' : 'unverified.bin', verify }) satisfies ChildJob,
      log,
    });
    return {
      verified_MBps: round(best.verified),
      unverified_MBps: round(best.unverified),
      peak_rss_MiB: round(best.peakRssMiB),
      size_MiB: round(size / MiB),
    };
  } finally {
    await stopEmulatorProcess(emulator);
  }
}

/** `npm run bench -- --only migrate`: `{"migrate": {"verified_MBps","unverified_MBps","peak_rss_MiB"}}`. */
export const migrateSection: BenchSection = {
  name: 'migrate',
  summary: '1 GiB migrated COS → OSS through the local emulator, verified vs not verified, peak RSS',
  async run(ctx) {
    const r = await benchMigrate({
      tmpDir: ctx.tmpDir,
      emulatorScript: join(dirname(ctx.benchScript), 'emulator.js'),
      benchScript: ctx.benchScript,
      log: ctx.log,
    });
    const ratio = r.unverified_MBps > 0 ? r.verified_MBps / r.unverified_MBps : 0;
    const parts = `${DEFAULT_MIGRATE_PART_SIZE / MiB} MiB parts × ${DEFAULT_MIGRATE_CONCURRENCY}`;
    return {
      json: { migrate: { verified_MBps: r.verified_MBps, unverified_MBps: r.unverified_MBps, peak_rss_MiB: r.peak_rss_MiB } },
      rows: [
        {
          name: 'migrate verified',
          value: r.verified_MBps,
          unit: 'MB/s',
          note: `${Math.round(ratio * 100)}% of unverified (target ≥ 80%)`,
        },
        { name: 'migrate not verified', value: r.unverified_MBps, unit: 'MB/s', note: `${r.size_MiB} MiB COS → OSS, ${parts}` },
        { name: 'migrate peak RSS', value: r.peak_rss_MiB, unit: 'MiB', note: 'budget 250 MiB' },
      ],
    };
  },
};
