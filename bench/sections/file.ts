import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createHashPool } from '../../src/crc/pool';
import { type BenchSection, bestOf, mbps, MiB } from '../section';

/**
 * A 1 GiB temp file hashed end to end through the worker pool, with one worker and with all of them
 * (one per core). The file was just written, so it is read from the page cache: this measures the
 * engine and the pool, not the disk.
 */

const SIZE = 1024 * MiB;

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

    const measure = async (workers: number) => {
      const pool = createHashPool({ workers, workerPath: ctx.workerPath });
      try {
        let crc = 0n;
        await pool.hashFile(file); // warm-up: workers started, file in the page cache
        const seconds = await bestOf(3, async () => {
          crc = (await pool.hashFile(file)).crc64;
        });
        return { seconds, crc, size: pool.size };
      } finally {
        pool.dispose();
      }
    };
    ctx.log('file: one worker');
    const one = await measure(1);
    ctx.log('file: all workers');
    const all = await measure(0);
    if (one.crc !== all.crc) throw new Error('One worker and all workers disagree on the CRC-64');

    const result = {
      size_MiB: SIZE / MiB,
      workers: all.size,
      one_worker_MBps: mbps(SIZE, one.seconds),
      all_workers_MBps: mbps(SIZE, all.seconds),
    };
    const ratio = (result.all_workers_MBps / result.one_worker_MBps).toFixed(2);
    return {
      json: { file: result },
      rows: [
        { name: 'file, 1 worker (1 GiB)', value: result.one_worker_MBps, unit: 'MB/s' },
        { name: `file, ${all.size} workers (1 GiB)`, value: result.all_workers_MBps, unit: 'MB/s', note: `${ratio}× one worker (target ≥ 1.6×)` },
      ],
    };
  },
};
