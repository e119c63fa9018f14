import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createObjectStore } from '../src/storage';
import type { ConnectionOptions } from '../src/storage/types';
import { MiB } from '../src/transfer/planner';
import { DEFAULT_CONCURRENCY, DEFAULT_PART_SIZE, uploadFile } from '../src/transfer/upload';
import { type ChildMeasure, measureModes, startEmulatorProcess, stopEmulatorProcess } from './emulatorProcess';
import type { BenchSection } from './section';

/**
 * Upload row of the benchmark: the same file uploaded to the local emulator with per-part CRC-64
 * verification and with verification switched off, in one run. The emulator runs in its own process so
 * its CPU and memory are not counted as ours, and every upload runs in a fresh child process (this
 * script with `--upload-child`) so its peak RSS is that of one upload, not of the sections before it.
 */

export const UPLOAD_CHILD_FLAG = '--upload-child';
const JOB_ENV = 'BUCKET_INTEGRITY_BENCH_UPLOAD_JOB';

interface ChildJob {
  connection: ConnectionOptions;
  bucket: string;
  key: string;
  file: string;
  verify: boolean;
  partSize: number;
  concurrency: number;
}

type ChildResult = ChildMeasure;

/** The child side: one upload, then its time and the process's peak RSS as JSON on stdout. */
export async function uploadChild(): Promise<void> {
  // The job (with the emulator's keys) comes in the environment, not on the command line.
  const job = JSON.parse(process.env[JOB_ENV] ?? '') as ChildJob;
  const store = await createObjectStore(job.connection);
  const started = process.hrtime.bigint();
  const result = await uploadFile(store, {
    bucket: job.bucket,
    key: job.key,
    localPath: job.file,
    partSize: job.partSize,
    concurrency: job.concurrency,
    verify: job.verify,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.deleteObject(job.bucket, job.key);
  // maxRSS is in KiB and covers the whole process.
  const out: ChildResult = {
    seconds,
    peak_rss_MiB: process.resourceUsage().maxRSS / 1024,
    verified: result.verified,
    reason: result.reason,
  };
  process.stdout.write(JSON.stringify(out));
}

export interface UploadBenchResult {
  verified_MBps: number;
  unverified_MBps: number;
  peak_rss_MiB: number;
  /** Context for reading the numbers. */
  size_MiB: number;
  part_size_MiB: number;
  concurrency: number;
  rss_budget_MiB: number;
}

export interface UploadBenchOptions {
  /** Folder for the test file and the emulator's data (both removed by the caller). */
  tmpDir: string;
  /** dist/emulator.js of this build. */
  emulatorScript: string;
  /** dist/bench.js of this build, run with `--upload-child` for each upload. */
  benchScript: string;
  sizeBytes?: number;
  partSize?: number;
  concurrency?: number;
  log?: (line: string) => void;
}

const BUCKET = 'bench-upload-1250000000';

async function writeTestFile(path: string, size: number): Promise<void> {
  // Random 16 MiB blocks, each different: no two parts alike, and no 1 GiB buffer in memory.
  const out = createWriteStream(path);
  for (let written = 0; written < size;) {
    const n = Math.min(16 * MiB, size - written);
    if (!out.write(randomBytes(n))) await once(out, 'drain');
    written += n;
  }
  out.end();
  await once(out, 'finish');
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchUpload(options: UploadBenchOptions): Promise<UploadBenchResult> {
  const size = options.sizeBytes ?? 1024 * MiB;
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const log = options.log ?? (() => undefined);
  mkdirSync(options.tmpDir, { recursive: true });
  const dir = mkdtempSync(join(options.tmpDir, 'upload-'));
  const seed = `module.exports = (emu) => emu.createBucket('cos', ${JSON.stringify(BUCKET)});\n`;
  const emulator = await startEmulatorProcess(options.emulatorScript, join(dir, 'emulator-data'), join(dir, 'seed.js'), seed);
  try {
    const file = join(dir, 'upload.bin');
    log(`upload: writing a ${round(size / MiB)} MiB test file`);
    await writeTestFile(file, size);
    const bucket = BUCKET;
    const connection: ConnectionOptions = {
      provider: 'cos',
      region: emulator.cos.region,
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: emulator.cos.secretId, secretAccessKey: emulator.cos.secretKey },
    };
    const best = await measureModes({
      label: 'upload',
      sizeBytes: size,
      benchScript: options.benchScript,
      flag: UPLOAD_CHILD_FLAG,
      envName: JOB_ENV,
      jobFor: (verify) =>
        ({ connection, bucket, key: verify ? 'verified.bin' : 'unverified.bin', file, verify, partSize, concurrency }) satisfies ChildJob,
      log,
    });
    return {
      verified_MBps: round(best.verified),
      unverified_MBps: round(best.unverified),
      peak_rss_MiB: round(best.peakRssMiB),
      size_MiB: round(size / MiB),
      part_size_MiB: round(partSize / MiB),
      concurrency,
      rss_budget_MiB: round((partSize * concurrency) / MiB + 150),
    };
  } finally {
    await stopEmulatorProcess(emulator);
  }
}

/** `npm run bench -- --only upload`: `{"upload": {"verified_MBps","unverified_MBps","peak_rss_MiB"}}`. */
export const uploadSection: BenchSection = {
  name: 'upload',
  summary: '1 GiB uploaded to the local emulator, verified vs not verified, peak RSS',
  async run(ctx) {
    const r = await benchUpload({
      tmpDir: ctx.tmpDir,
      emulatorScript: join(dirname(ctx.benchScript), 'emulator.js'),
      benchScript: ctx.benchScript,
      log: ctx.log,
    });
    const ratio = r.unverified_MBps > 0 ? r.verified_MBps / r.unverified_MBps : 0;
    return {
      json: { upload: { verified_MBps: r.verified_MBps, unverified_MBps: r.unverified_MBps, peak_rss_MiB: r.peak_rss_MiB } },
      rows: [
        { name: 'upload verified', value: r.verified_MBps, unit: 'MB/s', note: `${Math.round(ratio * 100)}% of unverified (target ≥ 90%)` },
        {
          name: 'upload not verified',
          value: r.unverified_MBps,
          unit: 'MB/s',
          note: `${r.size_MiB} MiB, ${r.part_size_MiB} MiB parts × ${r.concurrency}`,
        },
        { name: 'upload peak RSS', value: r.peak_rss_MiB, unit: 'MiB', note: `budget ${r.rss_budget_MiB} MiB` },
      ],
    };
  },
};
