import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createHashPool } from '../../src/crc/pool';
import { type BenchSection, bestOf, loadAverage, mbps, medianSpread, MiB } from '../section';

/**
 * A 1 GiB temp file hashed end to end through the worker pool, with one worker and with all of them
 * (one per core), and with all of them at other read sizes. The file was just written, so it is read from the page cache: this measures the
 * engine and the pool, not the disk.
 */

const SIZE = 1024 * MiB;
const ROUNDS = 5;

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

/** Read sizes tried with all workers (the pool's default is 1 MiB): a smaller read stays in the core's cache. */
const READ_SIZES = [256 * 1024, MiB, 4 * MiB];
const TARGET_RATIO = 1.8;

export const fileSection: BenchSection = {
  name: 'file',
  summary: '1 GiB file through the worker pool, one worker vs all workers (and read sizes)',
  async run(ctx) {
    const file = join(ctx.tmpDir, 'file-1GiB.bin');
    ctx.log('file: writing the 1 GiB test file');
    writeRandomFile(file, SIZE);

    // Every pool stays up and the rounds alternate: a burst of other load on the machine hits all alike.
    // The ratio is taken per round (one worker and all workers back to back), then its median.
    const one = createHashPool({ workers: 1, workerPath: ctx.workerPath });
    const all = READ_SIZES.map((readSize) => createHashPool({ workerPath: ctx.workerPath, readSize }));
    const defaultAll = all[READ_SIZES.indexOf(MiB)];
    const times = { one: [] as number[], all: READ_SIZES.map(() => [] as number[]), ratio: [] as number[] };
    // CPU time of the whole process (every thread) per round: when other work leaves no idle core the
    // wall-clock ratio cannot show the scaling, but equal CPU cost per byte shows the pool adds none.
    const cpu = { one: 0, all: 0 };
    const timed = async (pool: typeof one): Promise<{ seconds: number; cpu: number }> => {
      const before = process.cpuUsage();
      const seconds = await bestOf(1, () => pool.hashFile(file));
      const used = process.cpuUsage(before);
      return { seconds, cpu: (used.user + used.system) / 1e6 };
    };
    const loadBefore = loadAverage();
    try {
      const expected = (await one.hashFile(file)).crc64; // warm-up: worker started, file in the page cache
      for (const pool of all) if ((await pool.hashFile(file)).crc64 !== expected) throw new Error('One worker and all workers disagree');
      for (let round = 1; round <= ROUNDS; round++) {
        ctx.log(`file: round ${round}/${ROUNDS} (load avg ${loadAverage()})`);
        const a = await timed(one);
        const b = await timed(defaultAll);
        times.one.push(a.seconds);
        times.ratio.push(a.seconds / b.seconds);
        cpu.one += a.cpu;
        cpu.all += b.cpu;
        for (let k = 0; k < all.length; k++) times.all[k].push(all[k] === defaultAll ? b.seconds : (await timed(all[k])).seconds);
      }
    } finally {
      one.dispose();
      for (const pool of all) pool.dispose();
    }

    const rate = (xs: number[]) => {
      const m = medianSpread(xs.map((x) => mbps(SIZE, x)));
      return { median: m.median, min: m.min, max: m.max };
    };
    const ratio = medianSpread(times.ratio);
    const byReadSize = Object.fromEntries(READ_SIZES.map((r, k) => [`${r / 1024}KiB`, rate(times.all[k])]));
    const allRate = rate(times.all[READ_SIZES.indexOf(MiB)]);
    const oneRate = rate(times.one);
    const result = {
      size_MiB: SIZE / MiB,
      workers: defaultAll.size,
      rounds: ROUNDS,
      one_worker_MBps: oneRate.median,
      all_workers_MBps: allRate.median,
      one_worker_spread_MBps: [oneRate.min, oneRate.max],
      all_workers_spread_MBps: [allRate.min, allRate.max],
      /** All workers' speed over one worker's, per round: median and spread. */
      ratio: { median: +ratio.median.toFixed(2), min: +ratio.min.toFixed(2), max: +ratio.max.toFixed(2) },
      /** All workers at each read size (MB/s, median and spread). */
      by_read_size: byReadSize,
      /** Other load on the machine (1-minute load average before and after): scaling needs idle cores. */
      load_avg_1m: loadBefore,
      load_avg_1m_after: loadAverage(),
      /** Bytes hashed per CPU-second (all threads), over the rounds. */
      one_worker_cpu_MBps: mbps(SIZE * ROUNDS, cpu.one),
      all_workers_cpu_MBps: mbps(SIZE * ROUNDS, cpu.all),
    };
    const spread = (lo: number, hi: number) => `${lo}–${hi}`;
    return {
      json: { file: result },
      rows: [
        {
          name: 'file, 1 worker (1 GiB)',
          value: result.one_worker_MBps,
          unit: 'MB/s',
          note: `median of ${ROUNDS}, spread ${spread(oneRate.min, oneRate.max)}; ${result.one_worker_cpu_MBps} MB per CPU-second`,
        },
        {
          name: `file, ${defaultAll.size} workers (1 GiB)`,
          value: result.all_workers_MBps,
          unit: 'MB/s',
          note: `${result.ratio.median}× one worker (${spread(result.ratio.min, result.ratio.max)}; target ≥ ${TARGET_RATIO}× at load < 1); spread ${spread(allRate.min, allRate.max)}; ${result.all_workers_cpu_MBps} MB per CPU-second; load avg ${result.load_avg_1m}–${result.load_avg_1m_after} on ${availableParallelism()} cores`,
        },
        ...READ_SIZES.filter((r) => r !== MiB).map((r) => {
          const m = byReadSize[`${r / 1024}KiB`];
          return {
            name: `file, ${defaultAll.size} workers, ${r / 1024} KiB reads`,
            value: m.median,
            unit: 'MB/s',
            note: `spread ${spread(m.min, m.max)} (default 1024 KiB)`,
          };
        }),
      ],
    };
  },
};
