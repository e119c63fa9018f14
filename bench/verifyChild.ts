import { importInventory } from '../src/inventory';
import { verifyPrefix } from '../src/integrity/verify';
import { CrcRecord } from '../src/record';
import { createObjectStore } from '../src/storage';
import type { ConnectionOptions } from '../src/storage/types';

/**
 * One timed verify of the benchmark, in its own process (`--verify-child`) so its peak RSS is that of
 * one verify: an optional inventory import, then the verify, against the emulator running elsewhere.
 */

export const VERIFY_CHILD_FLAG = '--verify-child';
export const VERIFY_JOB_ENV = 'BUCKET_INTEGRITY_BENCH_VERIFY_JOB';

export interface VerifyJob {
  connection: ConnectionOptions;
  recordFile: string;
  bucket: string;
  prefix: string;
  /** Import this inventory's newest report (written to `inventoryBucket` under `inventoryPrefix`) first. */
  inventory?: { id: string; bucket: string; prefix: string };
  listing: boolean;
  /** Most key ranges listed at once (1: one page after another, as before ranges). */
  listingRanges?: number;
  /** Import only, no verify. */
  importOnly?: boolean;
}

export interface VerifyChildResult {
  importSeconds: number;
  verifySeconds: number;
  /** CPU time (user + system) of the verify, in seconds: the client's share of the two cores. */
  verifyCpuSeconds: number;
  imported: number;
  verified: number;
  matched: number;
  heads: number;
  lists: number;
  peak_rss_MiB: number;
}

export async function verifyChild(): Promise<void> {
  // The job (with the emulator's keys) comes in the environment, not on the command line.
  const job = JSON.parse(process.env[VERIFY_JOB_ENV] ?? '') as VerifyJob;
  const store = await createObjectStore(job.connection);
  const record = await CrcRecord.open(job.recordFile);
  try {
    const t0 = process.hrtime.bigint();
    let imported = 0;
    if (job.inventory) {
      const location = {
        provider: job.connection.provider,
        sourceBucket: job.bucket,
        inventoryId: job.inventory.id,
        destinationBucket: job.inventory.bucket,
        destinationPrefix: job.inventory.prefix,
      };
      const result = await importInventory({ store, record, profile: 'bench', location, prefix: job.prefix });
      if (result.failed.length)
        throw new Error(`inventory files not imported: ${result.failed.map((f) => `${f.key}: ${f.message}`).join('; ')}`);
      imported = result.rows;
    }
    const t1 = process.hrtime.bigint();
    const cpu1 = process.cpuUsage();
    const summary = job.importOnly
      ? { counts: { total: 0, match: 0 }, requests: { head: 0, list: 0 } }
      : await verifyPrefix({
          store,
          record,
          profile: 'bench',
          bucket: job.bucket,
          prefix: job.prefix,
          listing: job.listing,
          restart: true,
          ...(job.listingRanges ? { listingRanges: job.listingRanges } : {}),
        });
    const t2 = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpu1);
    const out: VerifyChildResult = {
      importSeconds: Number(t1 - t0) / 1e9,
      verifySeconds: Number(t2 - t1) / 1e9,
      verifyCpuSeconds: (cpu.user + cpu.system) / 1e6,
      imported,
      verified: summary.counts.total,
      matched: summary.counts.match,
      heads: summary.requests.head,
      lists: summary.requests.list,
      // maxRSS is in KiB and covers the whole process.
      peak_rss_MiB: process.resourceUsage().maxRSS / 1024,
    };
    process.stdout.write(JSON.stringify(out));
  } finally {
    record.close();
  }
}
