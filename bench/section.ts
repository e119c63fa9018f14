import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

/**
 * A benchmark section: one part of `npm run bench`, selectable with `--only <name>[,<name>…]`.
 * Its `json` is merged into the top-level JSON object (`{"engine": {...}}`, `{"upload": {...}}`, …);
 * its rows go into the printed table.
 */

export interface BenchRow {
  /** What was measured, e.g. "WASM kernel". */
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export interface BenchContext {
  /** Progress lines for humans; go to stderr so `--json` output stays one object. */
  log(line: string): void;
  /** A temp folder for this run, removed afterwards. */
  tmpDir: string;
  /** dist/crc-worker.js of this build. */
  workerPath: string;
  /** The built benchmark script itself, for sections that measure in a child process. */
  benchScript: string;
}

export interface BenchOutcome {
  json: Record<string, unknown>;
  rows: BenchRow[];
}

export interface BenchSection {
  name: string;
  summary: string;
  run(ctx: BenchContext): Promise<BenchOutcome>;
}

export const MiB = 1024 * 1024;

/** MB/s (10^6 bytes per second), as throughput is usually quoted. */
export function mbps(bytes: number, seconds: number): number {
  return Math.round(bytes / seconds / 1e6);
}

/** Seconds of the fastest of `runs` calls: the least disturbed by other load on the machine. */
export async function bestOf(runs: number, fn: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

/** The median of `values` and their spread (lowest, highest): several runs on a shared machine. */
export function medianSpread(values: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** The 1-minute load average, one decimal: other work on the machine, printed beside the numbers. */
export function loadAverage(): number {
  return Math.round(loadavg()[0] * 10) / 10;
}

/**
 * Node flags for the timed child processes (BENCH_CHILD_NODE_FLAGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`):
 * a child's profile shows where one measured run spends its time. Empty by default.
 */
export function childNodeFlags(): string[] {
  return (process.env.BENCH_CHILD_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
}

/** What a measured child used, read after it exited: its peak RSS and the CPU of all its threads. */
export interface ChildUsage {
  peakRssMiB: number;
  cpuSeconds: number;
}

const USAGE_PRELOAD = `const { isMainThread } = require('node:worker_threads');
if (isMainThread) process.on('exit', () => {
  const u = process.resourceUsage();
  require('node:fs').writeFileSync(process.env.BI_BENCH_USAGE_OUT, JSON.stringify({ maxRSS: u.maxRSS, cpuMicros: u.userCPUTime + u.systemCPUTime }));
});
`;

/**
 * A module to preload (`node -r <preload>`) into a measured child, with the environment it needs: at the
 * child's exit its main thread writes what the process used, which a parent cannot read of a child that
 * has exited. `read()` gives it once the child is gone.
 */
export function childUsageProbe(dir: string, name: string): { preload: string; env: Record<string, string>; read(): ChildUsage } {
  const preload = join(dir, `${name}-usage-preload.js`);
  const out = join(dir, `${name}-usage.json`);
  writeFileSync(preload, USAGE_PRELOAD);
  return {
    preload,
    env: { BI_BENCH_USAGE_OUT: out },
    read() {
      const u = JSON.parse(readFileSync(out, 'utf8')) as { maxRSS: number; cpuMicros: number };
      return { peakRssMiB: u.maxRSS / 1024, cpuSeconds: u.cpuMicros / 1e6 };
    },
  };
}
