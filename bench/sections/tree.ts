import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { createHashPool, isHashFailure } from '../../src/crc/pool';
import { walkFiles } from '../../src/util/walk';
import { type BenchSection, childUsageProbe, loadAverage, medianSpread } from '../section';

/**
 * The shipped `bucket-integrity crc64` (dist/cli.js) of a tree of 4 KiB files (1,000 per folder) at 20,000 and 100,000 files,
 * against its floor measured in the same rounds: `find -print0 | xargs -0 cat > /dev/null`, which
 * opens and reads every file and does nothing else. Also "walk, then hash" (the walker's list, then
 * one `hashFiles` call, every result held until the end: how crc64 worked before it hashed while
 * walking, with today's walker). Each runs in a child process, the three interleaved round by round so a burst of other
 * load hits all alike; the files are read once first so every round reads from the page cache.
 * Peak RSS is the child's (`maxRSS`, worker threads included).
 */

export const TREE_CHILD_FLAG = '--tree-child';
const SIZES = [20_000, 100_000];
const PER_FOLDER = 1000;
const FILE_BYTES = 4096;
const ROUNDS = 3;
const TARGET_RATIO = 1.5;
const RSS_BUDGET_MiB = 150;

type Mode = 'stream' | 'before';

interface ChildResult {
  files: number;
  peak_rss_MiB: number;
}

/** 100,000 files: the first 20,000 under `small/`, the rest under `more/`, so both sizes share them. */
function makeTree(root: string): Record<number, string[]> {
  const block = Buffer.alloc(FILE_BYTES, 0x5a);
  for (let n = 0; n < SIZES[SIZES.length - 1]; n++) {
    const folder = join(root, n < SIZES[0] ? 'small' : 'more', `d${String(Math.floor(n / PER_FOLDER)).padStart(3, '0')}`);
    if (n % PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
    block.writeUInt32LE(n, 0);
    writeFileSync(join(folder, `f${String(n % PER_FOLDER).padStart(4, '0')}`), block);
  }
  return { [SIZES[0]]: [join(root, 'small')], [SIZES[1]]: [join(root, 'small'), join(root, 'more')] };
}

function seconds(run: () => void): number {
  const t0 = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function floor(roots: string[]): number {
  return seconds(() => {
    const r = spawnSync('sh', ['-c', 'find "$@" -type f -print0 | xargs -0 cat > /dev/null', 'sh', ...roots], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`find | xargs cat exited with ${r.status}`);
  });
}

/**
 * One run in a child process. "stream" is the shipped CLI (dist/cli.js crc64, stdout to a file whose
 * lines are counted); "before" runs in this bench bundle (a few MiB more at rest, see the baseline row).
 */
function ours(ctx: { benchScript: string; tmpDir: string }, mode: Mode, roots: string[]): { seconds: number; child: ChildResult } {
  const out = join(ctx.tmpDir, 'tree-child.json');
  const stdoutPath = join(ctx.tmpDir, 'tree-stdout.txt');
  const usage = childUsageProbe(ctx.tmpDir, 'tree');
  const stdout = openSync(mode === 'stream' ? stdoutPath : '/dev/null', 'w');
  const args =
    mode === 'stream'
      ? ['-r', usage.preload, join(dirname(ctx.benchScript), 'cli.js'), 'crc64', ...roots]
      : [ctx.benchScript, TREE_CHILD_FLAG, out, ...roots];
  try {
    const s = seconds(() => {
      const r = spawnSync(process.execPath, args, { stdio: ['ignore', stdout, 'inherit'], env: { ...process.env, ...usage.env } });
      if (r.status !== 0) throw new Error(`crc64 (${mode}) exited with ${r.status}`);
    });
    if (mode === 'before') return { seconds: s, child: JSON.parse(readFileSync(out, 'utf8')) as ChildResult };
    const lines = readFileSync(stdoutPath, 'latin1').split('\n').length - 1;
    return { seconds: s, child: { files: lines, peak_rss_MiB: Math.round(usage.read().peakRssMiB) } };
  } finally {
    closeSync(stdout);
  }
}

export const treeSection: BenchSection = {
  name: 'tree',
  summary: 'crc64 of 20k and 100k 4 KiB files vs find | xargs cat (child processes)',
  async run(ctx) {
    const root = join(ctx.tmpDir, 'tree');
    ctx.log(`tree: writing ${SIZES[SIZES.length - 1]} files of ${FILE_BYTES} bytes`);
    const roots = makeTree(root);
    const loadBefore = loadAverage();
    const json: Record<string, unknown> = {};
    // The CLI at rest: one file. What a tree adds to its peak RSS is above this.
    mkdirSync(join(root, 'one'));
    writeFileSync(join(root, 'one', 'f'), 'x');
    const baseline = ours(ctx, 'stream', [join(root, 'one')]).child.peak_rss_MiB;
    const baselineBefore = ours(ctx, 'before', [join(root, 'one')]).child.peak_rss_MiB;
    json.baseline_peak_rss_MiB = { crc64: baseline, walk_then_hash: baselineBefore };
    const rows = [
      {
        name: 'peak RSS of one file (at rest)',
        value: baseline,
        unit: 'MiB',
        note: `walk, then hash (bench bundle): ${baselineBefore} MiB`,
      },
    ];
    for (const n of SIZES) {
      floor(roots[n]); // page cache and dentries warm
      const t = { floor: [] as number[], stream: [] as number[], before: [] as number[], ratio: [] as number[] };
      const rss = { stream: 0, before: 0 };
      for (let round = 1; round <= ROUNDS; round++) {
        ctx.log(`tree: ${n} files, round ${round}/${ROUNDS} (load avg ${loadAverage()})`);
        const f = floor(roots[n]);
        const s = ours(ctx, 'stream', roots[n]);
        const b = ours(ctx, 'before', roots[n]);
        for (const r of [s, b]) if (r.child.files !== n) throw new Error(`crc64 hashed ${r.child.files} files of ${n}`);
        t.floor.push(f);
        t.stream.push(s.seconds);
        t.before.push(b.seconds);
        t.ratio.push(s.seconds / f);
        rss.stream = Math.max(rss.stream, s.child.peak_rss_MiB);
        rss.before = Math.max(rss.before, b.child.peak_rss_MiB);
      }
      const rate = (xs: number[]) => {
        const m = medianSpread(xs.map((x) => n / x));
        return { median: Math.round(m.median), min: Math.round(m.min), max: Math.round(m.max) };
      };
      const ratio = medianSpread(t.ratio);
      const result = {
        files: n,
        floor_files_per_s: rate(t.floor),
        crc64_files_per_s: rate(t.stream),
        walk_then_hash_files_per_s: rate(t.before),
        /** crc64's time over the floor's, per round (same round, same load). */
        crc64_over_floor: { median: +ratio.median.toFixed(2), min: +ratio.min.toFixed(2), max: +ratio.max.toFixed(2) },
        crc64_peak_rss_MiB: rss.stream,
        walk_then_hash_peak_rss_MiB: rss.before,
      };
      json[`n${n}`] = result;
      const spread = (r: { min: number; max: number }) => `${r.min}–${r.max}`;
      const k = `${n / 1000}k`;
      rows.push(
        {
          name: `find | xargs cat, ${k} files`,
          value: result.floor_files_per_s.median,
          unit: 'files/s',
          note: `floor; median of ${ROUNDS}, spread ${spread(result.floor_files_per_s)}`,
        },
        {
          name: `crc64, ${k} files`,
          value: result.crc64_files_per_s.median,
          unit: 'files/s',
          note: `${result.crc64_over_floor.median}× the floor's time (${spread(result.crc64_over_floor)}; target ≤ ${TARGET_RATIO}×); spread ${spread(result.crc64_files_per_s)}`,
        },
        { name: `crc64 peak RSS, ${k} files`, value: rss.stream, unit: 'MiB', note: `budget < ${RSS_BUDGET_MiB} MiB, flat in N` },
        {
          name: `walk, then hash, ${k} files`,
          value: result.walk_then_hash_files_per_s.median,
          unit: 'files/s',
          note: `before; spread ${spread(result.walk_then_hash_files_per_s)}; peak RSS ${rss.before} MiB`,
        },
      );
    }
    const load = { before: loadBefore, after: loadAverage(), cores: availableParallelism() };
    rows.push({
      name: 'load average (1 min) before / after',
      value: load.before,
      unit: '',
      note: `${load.after} after, on ${load.cores} cores`,
    });
    return { json: { tree: { ...json, load_avg_1m: load, file_bytes: FILE_BYTES, rounds: ROUNDS } }, rows };
  },
};

/** The child side of "walk, then hash": one run over `roots` (stdout is /dev/null), its file count and peak RSS into `out`. */
export async function treeChild(out: string, roots: string[]): Promise<void> {
  let files = 0;
  // The earlier way: the whole list first (a stat per file), then one call (which stats them again).
  const pool = createHashPool();
  try {
    const paths: string[] = [];
    for (const r of roots) paths.push(...(await walkFiles(r)));
    const results = await pool.hashFiles(paths);
    for (const r of results) {
      if (isHashFailure(r)) throw r.error;
      process.stdout.write(`${r.crc64}  ${r.path}\n`);
      files++;
    }
  } finally {
    pool.dispose();
  }
  writeFileSync(out, JSON.stringify({ files, peak_rss_MiB: Math.round(process.resourceUsage().maxRSS / 1024) } satisfies ChildResult));
}
