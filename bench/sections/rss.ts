import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { createHashPool } from '../../src/crc/pool';
import { type BenchSection, MiB } from '../section';

/**
 * Peak memory while hashing a 4 GiB file: the hashing runs in a child process (this script with
 * `--rss-child`) so its peak RSS is not inflated by the other sections' buffers. The file is sparse
 * (it reads as zeros without taking 4 GiB of disk); memory use does not depend on the bytes.
 */

const SIZE = 4096 * MiB;
const BUDGET_MiB = 300;
export const RSS_CHILD_FLAG = '--rss-child';

export const rssSection: BenchSection = {
  name: 'rss',
  summary: 'peak RSS while hashing a 4 GiB file (child process)',
  async run(ctx) {
    const file = join(ctx.tmpDir, 'sparse-4GiB.bin');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, SIZE);
    closeSync(fd);
    ctx.log('rss: hashing 4 GiB in a child process');
    const out = execFileSync(process.execPath, [ctx.benchScript, RSS_CHILD_FLAG, file, ctx.workerPath], { encoding: 'utf8' });
    const child = JSON.parse(out) as { peak_rss_MiB: number; MBps: number };
    return {
      json: { peak_rss_MiB: child.peak_rss_MiB },
      rows: [{ name: 'peak RSS hashing 4 GiB', value: child.peak_rss_MiB, unit: 'MiB', note: `budget ${BUDGET_MiB} MiB` }],
    };
  },
};

/** The child side: hash the file with all workers, print the process's peak RSS as JSON. */
export async function rssChild(file: string, workerPath: string): Promise<void> {
  const pool = createHashPool({ workerPath });
  try {
    const t0 = process.hrtime.bigint();
    const { size } = await pool.hashFile(file);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // maxRSS is in KiB and covers the whole process, worker threads included.
    const peak = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({ peak_rss_MiB: Math.round(peak), MBps: Math.round(size / seconds / 1e6) }));
  } finally {
    pool.dispose();
  }
}
