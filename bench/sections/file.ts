import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createHashPool } from '../../src/crc/pool';
import { type BenchSection, bestOf, mbps, MiB } from '../section';

/**
 * A 1 GiB temp file hashed end to end through the worker pool, with one worker and with all of them
 * (one per core). The file was just written, so it is read from the page cache: this measures the
 * engine and the pool, not the disk.
 */

const SIZE = 1024 * MiB;
const ROUNDS = 4;

export function writeRandomFile(path: string, size: number): void {
  // One random 16 MiB block, its first bytes changed per block: no two blocks alike, little CPU.
  const block = Buffer.allocUnsafe(16 * MiB);
  randomFillSync(block);
  const fd = openSync(path, 'w');
  try {
    for (let at = 0, n = 0; at < size; at += block.length, n++) {
      block.writeUInt32LE(n, 0);
      writeSync(fd, block, 0, Math.min(block.length, size - at));
    }
  } finally {
    closeSync(fd);
  }
}

export const fileSection: BenchSection = {
  name: 'file',
  summary: '1 GiB file through the worker pool, one worker vs all workers',
  async run(ctx) {
    const file = join(ctx.tmpDir, 'file-1GiB.bin');
    ctx.log('file: writing the 1 GiB test file');
    writeRandomFile(file, SIZE);

    // Both pools stay up and the rounds alternate, best of each: a burst of other load on the
    // machine hits both alike.
    const one = createHashPool({ workers: 1, workerPath: ctx.workerPath });
    const all = createHashPool({ workerPath: ctx.workerPath });
    const best = { one: Infinity, all: Infinity };
    // CPU time of the whole process (every thread) per round: when other work leaves no idle core the
    // wall-clock ratio cannot show the scaling, but equal CPU cost per byte shows the pool adds none.
    const cpu = { one: 0, all: 0 };
    const timed = async (key: 'one' | 'all', pool: typeof one) => {
      const before = process.cpuUsage();
      const seconds = await bestOf(1, () => pool.hashFile(file));
      const used = process.cpuUsage(before);
      best[key] = Math.min(best[key], seconds);
      cpu[key] += (used.user + used.system) / 1e6;
    };
    const loadBefore = loadavg()[0];
    try {
      const expected = (await one.hashFile(file)).crc64; // warm-up: worker started, file in the page cache
      if ((await all.hashFile(file)).crc64 !== expected) throw new Error('One worker and all workers disagree');
      for (let round = 1; round <= ROUNDS; round++) {
        ctx.log(`file: round ${round}/${ROUNDS}`);
        await timed('one', one);
        await timed('all', all);
      }
    } finally {
      one.dispose();
      all.dispose();
    }

    const result = {
      size_MiB: SIZE / MiB,
      workers: all.size,
      one_worker_MBps: mbps(SIZE, best.one),
      all_workers_MBps: mbps(SIZE, best.all),
      /** Other load on the machine (1-minute load average before the rounds): scaling needs idle cores. */
      load_avg_1m: Math.round(loadBefore * 10) / 10,
      /** Bytes hashed per CPU-second (all threads), averaged over the rounds. */
      one_worker_cpu_MBps: mbps(SIZE * ROUNDS, cpu.one),
      all_workers_cpu_MBps: mbps(SIZE * ROUNDS, cpu.all),
    };
    const ratio = (result.all_workers_MBps / result.one_worker_MBps).toFixed(2);
    return {
      json: { file: result },
      rows: [
        { name: 'file, 1 worker (1 GiB)', value: result.one_worker_MBps, unit: 'MB/s', note: `${result.one_worker_cpu_MBps} MB per CPU-second` },
        { name: `file, ${all.size} workers (1 GiB)`, value: result.all_workers_MBps, unit: 'MB/s', note: `${ratio}× one worker (target ≥ 1.6×); ${result.all_workers_cpu_MBps} MB per CPU-second; load avg ${result.load_avg_1m} on ${availableParallelism()} cores` },
      ],
    };
  },
};
