import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createObjectStore } from '../../src/storage';
import type { ObjectStore } from '../../src/storage/types';
import { startEmulatorProcess, stopEmulatorProcess, type EmulatorProcess } from '../emulatorProcess';
import { processCpuMs } from './listingFloor';
import { auditListingFloor } from './auditListingFloor';
import { auditReportsFloor } from './auditReportsFloor';
import { childNodeFlags, childUsageProbe, type BenchRow, type BenchSection } from '../section';

/**
 * Bucket against bucket (`verify <remote> <remote>`): N metadata-only objects seeded on a COS and on an
 * OSS bucket of the emulator (its own process; it computes and stores every CRC-64 itself), 1,000 planted
 * differences (250 changed bytes with a new CRC-64, 250 missing on each side, 250 stored without a CRC-64),
 * a CRC inventory run on each side. Then the CLI, each run in a fresh child process (its peak RSS is that
 * run's): from the two inventories alone, and with the live listings. Every planted difference must be
 * found and nothing else flagged, or the section fails. Beside it, Debian's `rclone check` on a
 * 100,000-object pair, and that pair audited again with LATENCY_MS added to every listing request (listed
 * in key ranges, and one page after another). N is BENCH_AUDIT_OBJECTS (default 1,000,000; the issue asks 10,000,000); above
 * 2,000,000 the live listings and rclone run only with BENCH_AUDIT_LIVE=1.
 */

const A = 'bench-audit-a-1250000000';
const B = 'bench-audit-b';
const REPORTS_A = 'bench-audit-inv-1250000000';
const REPORTS_B = 'bench-audit-inv';
const PLANTED = 250;
const RCLONE_N = 100_000;
/** Added to every listing request in the rows that show what listing in key ranges is for. */
const LATENCY_MS = 20;

interface AuditJob {
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

interface AuditChildResult {
  seconds: number;
  /** CPU of the run, every thread of the process (user + system). */
  cpu_seconds: number;
  peak_rss_MiB: number;
  code: number;
  json: {
    summary: Record<string, number>;
    requests: Record<string, Record<string, number>>;
    seconds: number;
    issues: Array<{ path: string; status: string }>;
    inventories: Array<{ streamed?: boolean } | null>;
  };
}

function seedSource(n: number): string {
  return `module.exports = async (emu) => {
  await emu.createBucket('cos', ${JSON.stringify(A)});
  await emu.createBucket('cos', ${JSON.stringify(REPORTS_A)});
  await emu.createBucket('oss', ${JSON.stringify(B)});
  await emu.createBucket('oss', ${JSON.stringify(REPORTS_B)});
  await emu.seedObjects('cos', ${JSON.stringify(A)}, { prefix: 'o/', count: ${n} });
  await emu.seedObjects('oss', ${JSON.stringify(B)}, { prefix: 'o/', count: ${n} });
  await emu.seedObjects('cos', ${JSON.stringify(A)}, { prefix: 'r/', count: ${RCLONE_N} });
  await emu.seedObjects('oss', ${JSON.stringify(B)}, { prefix: 'r/', count: ${RCLONE_N} });
};\n`;
}

async function control(emu: EmulatorProcess, method: string, path: string, body?: string): Promise<unknown> {
  const res = await fetch(`${emu.endpoint}/_emulator/${path}`, { method, ...(body !== undefined ? { body } : {}) });
  if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

interface Stores {
  cos: ObjectStore;
  oss: ObjectStore;
}

/** The planted differences, through the SDKs and the emulator's legacy-object route; returns `status path` of each. */
async function plant(emu: EmulatorProcess, stores: Stores, n: number): Promise<Set<string>> {
  const width = String(n - 1).length;
  // Spread over the whole key range: every 1/(4·250) of it, a different kind of difference in turn.
  const step = Math.floor(n / (4 * PLANTED));
  const key = (i: number) => `o/${String(i).padStart(width, '0')}`;
  const expected = new Set<string>();
  const missingA: string[] = [];
  const missingB: string[] = [];
  for (let j = 0; j < 4 * PLANTED; j++) {
    // Off the multiples of the step (7 in), but inside its stride: the last one stays below n.
    const k = key(j * step + Math.min(7, step - 1));
    const rel = k.slice(2);
    const kind = j % 4;
    if (kind === 0) {
      // 32 bytes like the seeded body, other bytes: same size, a new CRC-64.
      await stores.oss.put(B, k, Buffer.from(`changed ${rel}`.padEnd(32, '#')));
      expected.add(`differ ${rel}`);
    } else if (kind === 1) {
      missingB.push(k);
      expected.add(`only-local ${rel}`);
    } else if (kind === 2) {
      missingA.push(k);
      expected.add(`only-remote ${rel}`);
    } else {
      const body = Buffer.from(`${k}\n`.repeat(8)).subarray(0, 32);
      await control(emu, 'POST', `legacy-object?dialect=oss&bucket=${B}&key=${encodeURIComponent(k)}`, body.toString('latin1'));
      expected.add(`no-crc ${rel}`);
    }
  }
  await stores.cos.deleteObjects(A, missingA);
  await stores.oss.deleteObjects(B, missingB);
  return expected;
}

async function inventories(emu: EmulatorProcess, stores: Stores): Promise<number> {
  const fields = ['Size', 'LastModified', 'ETag', 'StorageClass', 'Crc64'] as const;
  const started = Date.now();
  for (const [id, prefix] of [
    ['crc', 'o/'],
    ['crcr', 'r/'],
  ] as const) {
    await stores.cos.putInventory(A, {
      id,
      enabled: true,
      destination: { bucket: REPORTS_A, prefix: 'inv', accountId: '1250000000' },
      format: 'CSV',
      frequency: 'Daily',
      fields: [...fields],
      prefix,
    });
    await stores.oss.putInventory(B, {
      id,
      enabled: true,
      destination: { bucket: REPORTS_B, prefix: 'inv', accountId: '1250000000', roleName: 'AliyunOSSRole' },
      format: 'CSV',
      frequency: 'Daily',
      fields: [...fields],
      prefix,
    });
    await control(emu, 'POST', `inventory-run?dialect=cos&bucket=${A}&id=${id}`);
    await control(emu, 'POST', `inventory-run?dialect=oss&bucket=${B}&id=${id}`);
  }
  return (Date.now() - started) / 1000;
}

async function requestsByOp(emu: EmulatorProcess): Promise<Record<string, number>> {
  const log = (await control(emu, 'GET', 'requests')) as Array<{ op: string }>;
  const out: Record<string, number> = { total: log.length };
  for (const r of log) out[r.op] = (out[r.op] ?? 0) + 1;
  return out;
}

function opsText(ops: Record<string, number>): string {
  return Object.entries(ops)
    .filter(([k]) => k !== 'total')
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** Asynchronous, so this process's connections to the emulator stay alive meanwhile. */
async function rclone(
  emu: EmulatorProcess,
  dir: string,
  args: string[],
): Promise<{ seconds: number; code: number | null; stderr: string }> {
  const conf = join(dir, 'rclone.conf');
  const remote = (name: string, ak: string, sk: string, region: string) =>
    [
      `[${name}]`,
      'type = s3',
      'provider = Other',
      `access_key_id = ${ak}`,
      `secret_access_key = ${sk}`,
      `region = ${region}`,
      `endpoint = ${emu.endpoint}`,
      'force_path_style = true',
      'no_check_bucket = true',
      '',
    ].join('\n');
  writeFileSync(
    conf,
    [
      remote('cos', emu.cos.secretId, emu.cos.secretKey, emu.cos.region),
      remote('oss', emu.oss.accessKeyId, emu.oss.accessKeySecret, emu.oss.region.replace(/^oss-/, '')),
    ].join('\n'),
  );
  // The AWS SDK inside rclone loads AWS_CA_BUNDLE even for plain http, and fails on it.
  const { AWS_CA_BUNDLE: _ca, ...env } = process.env;
  const t0 = Date.now();
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(
      'rclone',
      ['--config', conf, ...args],
      { env: { ...env, HTTP_PROXY: '', http_proxy: '' }, maxBuffer: 64 * 1024 * 1024 },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr: String(stderr) }),
    );
  });
  return { seconds: (Date.now() - t0) / 1000, code: r.code, stderr: r.stderr };
}

/**
 * One run of the shipped CLI (`node dist/cli.js verify …`) in a fresh process, as a user runs it (the
 * command on its own thread, `commandThread.ts`): wall time from the start of the process to its exit.
 */
async function child(benchScript: string, tmpDir: string, job: AuditJob): Promise<AuditChildResult> {
  const usage = childUsageProbe(tmpDir, 'audit');
  const t0 = process.hrtime.bigint();
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [...childNodeFlags(), '-r', usage.preload, join(dirname(benchScript), 'cli.js'), 'verify', ...job.args],
      { env: { ...process.env, ...job.env, ...usage.env }, cwd: job.cwd, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // 1: differences found (the planted ones).
  if (r.code !== 0 && r.code !== 1) throw new Error(`verify exited with ${String(r.code)}: ${r.stderr.slice(-2000)}`);
  const used = usage.read();
  return {
    seconds,
    cpu_seconds: used.cpuSeconds,
    peak_rss_MiB: used.peakRssMiB,
    code: r.code,
    json: JSON.parse(r.stdout) as AuditChildResult['json'],
  };
}

export const auditSection: BenchSection = {
  name: 'audit',
  summary: 'bucket against bucket (COS ↔ OSS): N objects a side from the inventories and the live listings, and rclone check on 100,000',
  async run(ctx) {
    const n = Number(process.env.BENCH_AUDIT_OBJECTS ?? 1_000_000);
    if (!Number.isInteger(n) || n < 4 * PLANTED * 2) throw new Error('BENCH_AUDIT_OBJECTS must be a whole number of at least 2,000');
    // The live listings (and rclone beside them) take minutes a million: above 2,000,000 a side they run
    // only when asked (BENCH_AUDIT_LIVE=1), so the 10,000,000 run measures the inventories' path.
    const live = process.env.BENCH_AUDIT_LIVE !== undefined ? process.env.BENCH_AUDIT_LIVE === '1' : n <= 2_000_000;
    mkdirSync(ctx.tmpDir, { recursive: true });
    const dir = mkdtempSync(join(ctx.tmpDir, 'audit-'));
    ctx.log(`audit: seeding ${n.toLocaleString('en')} + ${RCLONE_N.toLocaleString('en')} objects on each side`);
    const t0 = Date.now();
    const emu = await startEmulatorProcess(
      join(dirname(ctx.benchScript), 'emulator.js'),
      join(dir, 'data'),
      join(dir, 'seed.js'),
      seedSource(n),
    );
    const seedSeconds = (Date.now() - t0) / 1000;
    try {
      const conn = { endpoint: emu.endpoint, timeoutMs: 600_000 };
      const stores: Stores = {
        cos: await createObjectStore({
          provider: 'cos',
          region: emu.cos.region,
          credentials: { accessKeyId: emu.cos.secretId, secretAccessKey: emu.cos.secretKey },
          ...conn,
        }),
        oss: await createObjectStore({
          provider: 'oss',
          region: emu.oss.region,
          credentials: { accessKeyId: emu.oss.accessKeyId, secretAccessKey: emu.oss.accessKeySecret },
          ...conn,
        }),
      };
      const expected = await plant(emu, stores, n);
      const inventorySeconds = await inventories(emu, stores);
      ctx.log(
        `audit: seeded in ${round(seedSeconds)} s, 1,000 differences planted, inventory reports written in ${round(inventorySeconds)} s`,
      );
      const env = {
        COS_SECRET_ID: emu.cos.secretId,
        COS_SECRET_KEY: emu.cos.secretKey,
        OSS_ACCESS_KEY_ID: emu.oss.accessKeyId,
        OSS_ACCESS_KEY_SECRET: emu.oss.accessKeySecret,
      };
      const base = (state: string, prefix: string, inventory: string) => [
        '--endpoint',
        emu.endpoint,
        '--region',
        emu.cos.region,
        '--region2',
        emu.oss.region,
        '--timeout',
        '600',
        '--state-dir',
        join(dir, state),
        '--inventory',
        inventory,
        '--inventory-bucket',
        REPORTS_A,
        '--inventory-prefix',
        'inv',
        '--inventory-bucket2',
        REPORTS_B,
        '--inventory-prefix2',
        'inv',
        '--json',
        `cos://${A}/${prefix}`,
        `oss://${B}/${prefix}`,
      ];
      const measure = async (name: string, args: string[]) => {
        await control(emu, 'DELETE', 'requests');
        const emuCpu0 = processCpuMs(emu.child.pid!) ?? 0;
        const r = await child(ctx.benchScript, dir, { args, env, cwd: dir });
        const emuCpu = ((processCpuMs(emu.child.pid!) ?? 0) - emuCpu0) / 1000;
        const ops = await requestsByOp(emu);
        // On 2 cores the client's threads and the emulator share the CPU: both are printed.
        ctx.log(
          `audit ${name}: ${r.json.summary.total} objects in ${round(r.seconds)} s (audit ${round(r.json.seconds)} s), CPU ${round(r.cpu_seconds)} s (emulator ${round(emuCpu)} s), peak RSS ${round(r.peak_rss_MiB)} MiB, requests: ${opsText(ops)}`,
        );
        return { r, ops, emulatorCpuSeconds: emuCpu };
      };
      const check = (name: string, r: AuditChildResult) => {
        const found = new Set(r.json.issues.map((i) => `${i.status} ${i.path}`));
        const missed = [...expected].filter((e) => !found.has(e));
        const extra = [...found].filter((f) => !expected.has(f));
        if (missed.length || extra.length)
          throw new Error(
            `audit ${name}: ${missed.length} planted differences not found (${missed.slice(0, 3).join('; ')}), ${extra.length} flagged that were not planted (${extra.slice(0, 3).join('; ')})`,
          );
      };
      const reportLocation = (provider: 'cos' | 'oss', bucket: string, reports: string) => ({
        provider,
        sourceBucket: bucket,
        inventoryId: 'crc',
        destinationBucket: reports,
        destinationPrefix: 'inv',
      });
      const inv = await measure('from the two inventories', [...base('s-inv', 'o/', 'crc'), '--record-only']);
      check('from the inventories', inv.r);
      const streamed = await measure('from the two reports, streamed', [...base('s-str', 'o/', 'crc'), '--stream-reports']);
      check('from the streamed reports', streamed.r);
      if (!streamed.r.json.inventories.every((i) => i?.streamed === true))
        throw new Error("audit from the streamed reports: the reports were imported instead (see the run's messages)");
      const reportsFloor = await auditReportsFloor([
        { store: stores.cos, location: reportLocation('cos', A, REPORTS_A) },
        { store: stores.oss, location: reportLocation('oss', B, REPORTS_B) },
      ]);
      ctx.log(
        `audit floor (streamed reports): both reports' ${reportsFloor.files} data files fetched and unpacked (${round(reportsFloor.bytes / 2 ** 20)} MiB) in ${round(reportsFloor.seconds)} s`,
      );
      const inventoryRows: BenchRow[] = [
        {
          name: `${n.toLocaleString('en')}/side from the two reports, streamed`,
          value: Math.round(n / streamed.r.seconds),
          unit: 'objects/s',
          note: `end to end ${round(streamed.r.seconds)} s, not imported (--stream-reports); 1,000 planted found, nothing else; peak RSS ${round(streamed.r.peak_rss_MiB)} MiB, ${streamed.ops.total} requests (target ≥ 250,000; < 1,024 MiB)`,
        },
        {
          name: `${n.toLocaleString('en')}/side floor: both reports fetched and unpacked`,
          value: Math.round(n / reportsFloor.seconds),
          unit: 'objects/s',
          note: `${round(reportsFloor.seconds)} s for ${reportsFloor.files} data files, nothing parsed (same run)`,
        },
        {
          name: `${n.toLocaleString('en')}/side from the two inventories`,
          value: Math.round(n / inv.r.seconds),
          unit: 'objects/s',
          note: `end to end ${round(inv.r.seconds)} s (import + audit; audit alone ${round(inv.r.json.seconds)} s); 1,000 planted found, nothing else (target ≥ 250,000)`,
        },
        {
          name: `${n.toLocaleString('en')}/side from the inventories, peak RSS`,
          value: round(inv.r.peak_rss_MiB),
          unit: 'MiB',
          note: 'target < 1,024',
        },
        {
          name: `${n.toLocaleString('en')}/side from the inventories, requests`,
          value: inv.ops.total,
          unit: 'requests',
          note: `${opsText(inv.ops)} (0 to the audited prefixes)`,
        },
      ];
      if (!live) {
        ctx.log(`audit: live listings and rclone skipped at ${n.toLocaleString('en')} a side (BENCH_AUDIT_LIVE=1 runs them)`);
        return {
          json: {
            audit: {
              objects_per_side: n,
              seed_seconds: round(seedSeconds),
              inventory_seconds: round(inventorySeconds),
              ...Object.fromEntries(inventoryRows.map((r) => [r.name, r.value])),
            },
          },
          rows: inventoryRows,
        };
      }
      const listed = await measure('with the live listings', base('s-live', 'o/', 'crc'));
      check('with the live listings', listed.r);
      const liveStreamed = await measure('with the live listings, reports streamed', [
        ...base('s-lstr', 'o/', 'crc'),
        '--stream-reports',
        '--live',
      ]);
      check('with the live listings, reports streamed', liveStreamed.r);
      if (!liveStreamed.r.json.inventories.every((i) => i?.streamed === true))
        throw new Error("audit with the live listings, reports streamed: the reports were imported instead (see the run's messages)");
      const floor = await auditListingFloor(
        {
          endpoint: emu.endpoint,
          cos: { secretId: emu.cos.secretId, secretKey: emu.cos.secretKey, region: emu.cos.region, bucket: A },
          oss: { accessKeyId: emu.oss.accessKeyId, accessKeySecret: emu.oss.accessKeySecret, region: emu.oss.region, bucket: B },
          prefix: 'o/',
          emulatorPid: emu.child.pid!,
        },
        n,
      );
      ctx.log(
        `audit floor: both sides' ${floor.pages} pages by plain HTTP in ${round(floor.seconds)} s, ${Math.round(floor.pairsPerSecond)} pairs/s, emulator ${round(floor.emulatorMsPerPage)} ms CPU per page`,
      );
      const ours = await measure(`rclone pair (${RCLONE_N.toLocaleString('en')}), with the live listings`, base('s-r', 'r/', 'crcr'));
      await control(emu, 'DELETE', 'requests');
      const rc = await rclone(emu, dir, ['check', `cos:${A}/r`, `oss:${B}/r`, '--one-way=false', '--checkers', '16']);
      const rcOps = await requestsByOp(emu);
      ctx.log(
        `audit: rclone check ${RCLONE_N.toLocaleString('en')}: exit ${rc.code} in ${round(rc.seconds)} s, requests: ${opsText(rcOps)}${rc.code !== 0 ? ` — ${rc.stderr.trim().split('\n').slice(-2).join(' ')}` : ''}`,
      );
      // What the key ranges are for: the 100k pair again with LATENCY_MS added to every listing request, as a
      // real service's round trip adds it. The default route knows the keys from the imported report and lists
      // each side in ranges at once; the streamed one has no record of the keys, one page after another.
      for (const [dialect, bucket, op] of [
        ['cos', A, 'ListObjects'],
        ['oss', B, 'ListObjectsV2'],
      ])
        await control(emu, 'POST', 'faults', JSON.stringify({ dialect, op, bucket, times: 'Infinity', action: `delay-ms:${LATENCY_MS}` }));
      const slowRanged = await measure(`rclone pair, ${LATENCY_MS} ms a listing request`, base('s-rl', 'r/', 'crcr'));
      const slowStreamed = await measure(`rclone pair, ${LATENCY_MS} ms a listing request, reports streamed`, [
        ...base('s-rls', 'r/', 'crcr'),
        '--stream-reports',
        '--live',
      ]);
      await control(emu, 'DELETE', 'faults');
      // The client's own counts: the emulator keeps only its last 20,000 requests, fewer than a 10M run sends.
      const sideRequests = (r: AuditChildResult) => Object.values(r.json.requests).reduce((s, q) => s + q.list + q.head + q.get, 0);
      const liveRequests = (r: AuditChildResult) =>
        Object.values(r.json.requests)
          .map((q) => `${q.list} listing pages, ${q.head} HEAD`)
          .join('; ');
      const rows: BenchRow[] = [
        ...inventoryRows,
        {
          name: `${n.toLocaleString('en')}/side with the live listings`,
          value: Math.round(n / listed.r.seconds),
          unit: 'objects/s',
          note: `end to end ${round(listed.r.seconds)} s (audit ${round(listed.r.json.seconds)} s: ${round(floor.seconds / listed.r.json.seconds)}× the floor's rate); 1,000 planted found, nothing else (target ≥ 100,000)`,
        },
        {
          name: `${n.toLocaleString('en')}/side with the live listings, reports streamed`,
          value: Math.round(n / liveStreamed.r.seconds),
          unit: 'objects/s',
          note: `end to end ${round(liveStreamed.r.seconds)} s (--stream-reports --live: ${round(floor.seconds / liveStreamed.r.seconds)}× the floor's rate); 1,000 planted found, nothing else; peak RSS ${round(liveStreamed.r.peak_rss_MiB)} MiB; CPU ${round(liveStreamed.r.cpu_seconds)} s, the emulator's ${round(liveStreamed.emulatorCpuSeconds)} s; ${sideRequests(liveStreamed.r)} requests to the audited prefixes (${liveRequests(liveStreamed.r)}) (target ≥ 100,000)`,
        },
        {
          name: `${n.toLocaleString('en')}/side live floor: both listings by plain HTTP`,
          value: Math.round(floor.pairsPerSecond),
          unit: 'objects/s',
          note: `${floor.pages} pages, each side one page after another, both at once; bodies dropped but for the token (no SDK, no XML parser, no record); emulator ${round(floor.emulatorMsPerPage)} ms CPU per page`,
        },
        {
          name: `${n.toLocaleString('en')}/side with the live listings, peak RSS`,
          value: round(listed.r.peak_rss_MiB),
          unit: 'MiB',
          note: 'target < 1,024',
        },
        {
          name: `${n.toLocaleString('en')}/side with the live listings, requests`,
          value: listed.ops.total,
          unit: 'requests',
          note: `${opsText(listed.ops)}; ${sideRequests(listed.r)} to the audited prefixes`,
        },
        {
          name: `${RCLONE_N.toLocaleString('en')}/side, ours with the live listings`,
          value: round(ours.r.seconds),
          unit: 's',
          note: `${ours.ops.total} requests (${opsText(ours.ops)})`,
        },
        {
          name: `${RCLONE_N.toLocaleString('en')}/side, ${LATENCY_MS} ms a listing request: listed in key ranges`,
          value: round(slowRanged.r.json.seconds),
          unit: 's',
          note: `the audit after the import (the default route; end to end ${round(slowRanged.r.seconds)} s); ${liveRequests(slowRanged.r)}`,
        },
        {
          name: `${RCLONE_N.toLocaleString('en')}/side, ${LATENCY_MS} ms a listing request: one page after another`,
          value: round(slowStreamed.r.json.seconds),
          unit: 's',
          note: `the audit with the reports streamed (--stream-reports --live, no record of the keys; end to end ${round(slowStreamed.r.seconds)} s); ${liveRequests(slowStreamed.r)}`,
        },
        {
          name: `${RCLONE_N.toLocaleString('en')}/side, rclone check (MD5 ETags)`,
          value: round(rc.seconds),
          unit: 's',
          note: `${rcOps.total} requests (${opsText(rcOps)}), exit ${rc.code}`,
        },
      ];
      const json = {
        objects_per_side: n,
        seed_seconds: round(seedSeconds),
        inventory_seconds: round(inventorySeconds),
        ...Object.fromEntries(rows.map((r) => [r.name, r.value])),
      };
      return { json: { audit: json }, rows };
    } finally {
      await stopEmulatorProcess(emu);
    }
  },
};
