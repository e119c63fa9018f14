import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import COS from 'cos-nodejs-sdk-v5';
import type { ConnectionOptions } from '../src/storage/types';
import { importFloors, medianOf, type Spread } from './sections/importFloors';
import { listingFloor, processCpuMs } from './sections/listingFloor';
import { childNodeFlags, type BenchRow, type BenchSection } from './section';
import { VERIFY_CHILD_FLAG, VERIFY_JOB_ENV, type VerifyChildResult, type VerifyJob } from './verifyChild';

/**
 * Verify rows of the benchmark: a 1,000,000-object prefix seeded in the emulator (its own process), a CRC
 * inventory run over it, then — each verify in a fresh child process — import + verify (with the live
 * listing, and against the record alone), the same again with nothing changed, and the HEAD-per-object
 * path on a 20,000-object prefix for the request ratio. Requests are counted in the emulator's log.
 */

const SOURCE = 'bench-verify-1250000000';
const DEST = 'bench-inventory-1250000000';
const BIG = 1_000_000;
const SMALL = 20_000;
const execFileAsync = promisify(execFile);

interface EmulatorProcess {
  endpoint: string;
  cos: { secretId: string; secretKey: string; region: string; appId: string };
  child: ChildProcess;
}

async function startEmulator(script: string, dir: string): Promise<{ emu: EmulatorProcess; seedSeconds: number }> {
  const seedFile = join(dir, 'seed.js');
  writeFileSync(
    seedFile,
    `module.exports = async (emu) => {
  await emu.createBucket('cos', ${JSON.stringify(SOURCE)});
  await emu.createBucket('cos', ${JSON.stringify(DEST)});
  await emu.seedObjects('cos', ${JSON.stringify(SOURCE)}, { prefix: 'big/', count: ${BIG} });
  await emu.seedObjects('cos', ${JSON.stringify(SOURCE)}, { prefix: 'small/', count: ${SMALL} });
};\n`,
  );
  const started = Date.now();
  const child = spawn(process.execPath, [script, '--port', '0', '--data', join(dir, 'data'), '--seed', seedFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`the emulator exited with ${String(code)}`))),
  ]);
  lines.close();
  return { emu: { ...(JSON.parse(first) as Omit<EmulatorProcess, 'child'>), child }, seedSeconds: (Date.now() - started) / 1000 };
}

async function control(emu: EmulatorProcess, method: string, path: string): Promise<unknown> {
  const res = await fetch(`${emu.endpoint}/_emulator/${path}`, { method });
  if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A daily CRC inventory of `big/` into DEST/inv, configured with the COS SDK, then run once now. */
async function runInventory(emu: EmulatorProcess): Promise<number> {
  const url = new URL(emu.endpoint);
  const cos = new COS({
    SecretId: emu.cos.secretId,
    SecretKey: emu.cos.secretKey,
    Protocol: 'http:',
    Ip: url.host,
    AutoSwitchHost: false,
  } as COS.COSOptions);
  const InventoryConfiguration = {
    Id: 'crc',
    IsEnabled: 'true',
    Destination: {
      COSBucketDestination: { Format: 'CSV', AccountId: emu.cos.appId, Bucket: `qcs::cos:${emu.cos.region}::${DEST}`, Prefix: 'inv' },
    },
    Schedule: { Frequency: 'Daily' },
    Filter: { Prefix: 'big/' },
    IncludedObjectVersions: 'Current',
    OptionalFields: ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'Crc64'],
  };
  await new Promise((resolve, reject) =>
    cos.putBucketInventory({ Bucket: SOURCE, Region: emu.cos.region, Id: 'crc', InventoryConfiguration } as never, (err, data) =>
      err ? reject(err) : resolve(data),
    ),
  );
  const started = Date.now();
  await control(emu, 'POST', `inventory-run?dialect=cos&bucket=${SOURCE}&id=crc`);
  return (Date.now() - started) / 1000;
}

async function requestCount(emu: EmulatorProcess): Promise<number> {
  return ((await control(emu, 'GET', 'requests')) as unknown[]).length;
}

async function child(benchScript: string, job: VerifyJob): Promise<VerifyChildResult> {
  const { stdout } = await execFileAsync(process.execPath, [...childNodeFlags(), benchScript, VERIFY_CHILD_FLAG], {
    env: { ...process.env, [VERIFY_JOB_ENV]: JSON.stringify(job) },
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout) as VerifyChildResult;
}

const perSecond = (n: number, s: number): number => Math.round(n / s);
/** Added to each listing request for the rows that show what listing by key ranges is for. */
const LATENCY_MS = 20;
const round = (n: number): number => Math.round(n * 10) / 10;

interface Measured {
  result: VerifyChildResult;
  requests: number;
  /** The emulator's CPU time during the child, in ms. */
  emulatorCpuMs: number;
}

async function rows(benchScript: string, emu: EmulatorProcess, dir: string, log: (line: string) => void): Promise<BenchRow[]> {
  const connection: ConnectionOptions = {
    provider: 'cos',
    region: emu.cos.region,
    endpoint: emu.endpoint,
    credentials: { accessKeyId: emu.cos.secretId, secretAccessKey: emu.cos.secretKey },
  };
  const inventory = { id: 'crc', bucket: DEST, prefix: 'inv' };
  const measure = async (name: string, job: Omit<VerifyJob, 'connection' | 'bucket'>, script = benchScript): Promise<Measured> => {
    await control(emu, 'DELETE', 'requests');
    const cpu0 = processCpuMs(emu.child.pid!) ?? NaN;
    const result = await child(script, { connection, bucket: SOURCE, ...job });
    const emulatorCpuMs = (processCpuMs(emu.child.pid!) ?? NaN) - cpu0;
    const requests = Math.max(await requestCount(emu), result.heads + result.lists);
    // An older build (BENCH_BASELINE_SCRIPT) does not report its CPU time.
    const clientCpu =
      result.verifyCpuSeconds === undefined ? '' : `client ${round((1000 * result.verifyCpuSeconds) / result.lists)} ms CPU, `;
    const perPage = result.lists ? `, per page: ${clientCpu}emulator ${round(emulatorCpuMs / result.lists)} ms CPU` : '';
    log(
      `verify ${name}: ${result.verified} objects (${result.matched} match) in ${round(result.importSeconds + result.verifySeconds)} s, ${requests} requests, ${result.heads} HEAD, peak RSS ${round(result.peak_rss_MiB)} MiB${perPage}`,
    );
    return { result, requests, emulatorCpuMs };
  };
  const load0 = loadavg()[0];
  // BENCH_BASELINE_SCRIPT: an earlier build's dist/bench.js (e.g. of main), measured on the same data now.
  const baseline = process.env.BENCH_BASELINE_SCRIPT;
  const imports: number[] = [];
  for (let i = 0; i < 2; i++) {
    const m = await measure(`import ${i + 1}`, {
      recordFile: join(dir, `import-${i}.sqlite`),
      prefix: 'big/',
      inventory,
      listing: false,
      importOnly: true,
    });
    imports.push(m.result.imported / m.result.importSeconds);
  }
  const floors = await importFloors({ connection, bucket: SOURCE, inventory, dir, log });
  const live = await measure('inventory + listing', { recordFile: join(dir, 'live.sqlite'), prefix: 'big/', inventory, listing: true });
  const recordOnly = await measure('inventory, record only', {
    recordFile: join(dir, 'record.sqlite'),
    prefix: 'big/',
    inventory,
    listing: false,
  });
  imports.push(...[live, recordOnly].map((m) => m.result.imported / m.result.importSeconds));
  const again = await measure('again + listing', { recordFile: join(dir, 'live.sqlite'), prefix: 'big/', listing: true });
  const oneRange = await measure('again + listing, one page after another', {
    recordFile: join(dir, 'live.sqlite'),
    prefix: 'big/',
    listing: true,
    listingRanges: 1,
  });
  const floorJob = {
    endpoint: emu.endpoint,
    secretId: emu.cos.secretId,
    secretKey: emu.cos.secretKey,
    region: emu.cos.region,
    bucket: SOURCE,
    prefix: 'big/',
    count: BIG,
    width: String(BIG - 1).length,
    concurrency: 4,
    emulatorPid: emu.child.pid!,
  };
  const rawFloors = [await listingFloor(floorJob), await listingFloor(floorJob)];
  for (const f of rawFloors)
    log(
      `listing floor: ${f.pages} pages by plain HTTP in ${round(f.seconds)} s, ${Math.round(f.objectsPerSecond)} objects/s, emulator ${round(f.emulatorMsPerPage)} ms CPU per page`,
    );
  // What the ranges are for: the same verify with 20 ms added to every listing request (the emulator's delay
  // fault), as a service some way off answers.
  const delayed = await fetch(`${emu.endpoint}/_emulator/faults`, {
    method: 'POST',
    body: JSON.stringify({ dialect: 'cos', op: 'ListObjects', bucket: SOURCE, times: 'Infinity', action: `delay-ms:${LATENCY_MS}` }),
  });
  if (!delayed.ok) throw new Error(`emulator POST faults: ${delayed.status}`);
  const farRanges = await measure(`again + listing, ${LATENCY_MS} ms a request`, {
    recordFile: join(dir, 'live.sqlite'),
    prefix: 'big/',
    listing: true,
  });
  const farOne = await measure(`again + listing, ${LATENCY_MS} ms a request, one page after another`, {
    recordFile: join(dir, 'live.sqlite'),
    prefix: 'big/',
    listing: true,
    listingRanges: 1,
  });
  await control(emu, 'DELETE', 'faults');
  const againRecord = await measure('again, record only', { recordFile: join(dir, 'record.sqlite'), prefix: 'big/', listing: false });
  const head = await measure('HEAD per object', { recordFile: join(dir, 'head.sqlite'), prefix: 'small/', listing: true });
  const before = baseline
    ? {
        import: await measure(
          'import, baseline build',
          { recordFile: join(dir, 'baseline.sqlite'), prefix: 'big/', inventory, listing: false },
          baseline,
        ),
        listing: await measure(
          'again + listing, baseline build',
          { recordFile: join(dir, 'live.sqlite'), prefix: 'big/', listing: true },
          baseline,
        ),
      }
    : undefined;
  const load1 = loadavg()[0];
  const spread = (x: Spread) => `median of ${x.n}, ${Math.round(x.min)}–${Math.round(x.max)}`;
  const importSpread = medianOf(imports);
  const listingSpread = medianOf([live, again].map((m) => m.result.verified / m.result.verifySeconds));
  const oneRangeRate = oneRange.result.verified / oneRange.result.verifySeconds;
  const rawFloor = medianOf(rawFloors.map((f) => f.objectsPerSecond));
  const rawEmulatorMs = medianOf(rawFloors.map((f) => f.emulatorMsPerPage)).median;
  const listed = [live, again];
  const clientMs = medianOf(listed.map((m) => (1000 * m.result.verifyCpuSeconds) / m.result.lists)).median;
  const emulatorMs = medianOf(listed.map((m) => m.emulatorCpuMs / m.result.lists)).median;
  const beforeImport = before && before.import.result.imported / before.import.result.importSeconds;
  const beforeListing = before && before.listing.result.verified / before.listing.result.verifySeconds;
  const vsBefore = (now: number, then: number | undefined) =>
    then ? `; ${round(now / then)}× the baseline build (${Math.round(then)}/s, same run)` : '';
  const floorRows: BenchRow[] = [
    {
      name: '1M import (record)',
      value: Math.round(importSpread.median),
      unit: 'rows/s',
      note: `${spread(importSpread)}${vsBefore(importSpread.median, beforeImport)}; target ≥ 250,000`,
    },
    {
      name: '1M import floor: zcat | wc -l',
      value: Math.round(floors.zcat.median),
      unit: 'rows/s',
      note: `${spread(floors.zcat)}, the report's ${floors.files} data files read from disk`,
    },
    {
      name: '1M import floor: record upserts alone',
      value: Math.round(floors.engine),
      unit: 'rows/s',
      note: `${floors.engineRows} rows in batches of 5,000 into an empty record (upsertColumns), no GET, gunzip or parse: the SQLite-in-WebAssembly ceiling`,
    },
    {
      name: '1M listing + verify',
      value: Math.round(listingSpread.median),
      unit: 'objects/s',
      note: `${spread(listingSpread)}; ranges ${round(listingSpread.median / oneRangeRate)}× one page after another (${Math.round(oneRangeRate)}/s)${vsBefore(listingSpread.median, beforeListing)}; per 1,000-key page: client ${round(clientMs)} ms CPU, emulator ${round(emulatorMs)} ms CPU; target ≥ 100,000`,
    },
    {
      name: `1M listing + verify, ${LATENCY_MS} ms a request`,
      value: Math.round(farRanges.result.verified / farRanges.result.verifySeconds),
      unit: 'objects/s',
      note: `key ranges, ${round(farRanges.result.verifySeconds / farOne.result.verifySeconds)}× the time of one page after another (${Math.round(farOne.result.verified / farOne.result.verifySeconds)}/s); ${farRanges.result.lists} and ${farOne.result.lists} listing requests`,
    },
    {
      name: '1M listing floor: plain HTTP GET of the same pages',
      value: Math.round(rawFloor.median),
      unit: 'objects/s',
      note: `${spread(rawFloor)}; 4 pages at once, bodies dropped (no SDK, no parsing, no record); emulator ${round(rawEmulatorMs)} ms CPU per page`,
    },
    {
      name: 'load average (1 min)',
      value: round(Math.max(load0, load1)),
      unit: '',
      note: `at the start ${round(load0)}, at the end ${round(load1)}, on ${cpus().length} cores`,
    },
  ];
  const total = (m: Measured) => m.result.importSeconds + m.result.verifySeconds;
  const headPerObject = head.requests / head.result.verified;
  const ratio = (m: Measured) => Math.round((headPerObject * m.result.verified) / m.requests);
  const rss = Math.max(live.result.peak_rss_MiB, recordOnly.result.peak_rss_MiB);
  return [
    ...floorRows,
    {
      name: '1M from inventory, record only',
      value: perSecond(recordOnly.result.verified, total(recordOnly)),
      unit: 'objects/s',
      note: `import ${round(recordOnly.result.importSeconds)} s + verify ${round(recordOnly.result.verifySeconds)} s (target ≥ 50,000)`,
    },
    {
      name: '1M from inventory, live listing',
      value: perSecond(live.result.verified, total(live)),
      unit: 'objects/s',
      note: `import ${round(live.result.importSeconds)} s + listing and verify ${round(live.result.verifySeconds)} s`,
    },
    { name: '1M verify peak RSS', value: round(rss), unit: 'MiB', note: 'target < 400' },
    {
      name: '1M requests, record only',
      value: recordOnly.requests,
      unit: 'requests',
      note: `${ratio(recordOnly)}× fewer than HEAD per object (target ≥ 100×)`,
    },
    {
      name: '1M requests, live listing',
      value: live.requests,
      unit: 'requests',
      note: `${ratio(live)}× fewer than HEAD per object, ${live.result.heads} HEAD`,
    },
    {
      name: '1M again, record only',
      value: perSecond(againRecord.result.verified, total(againRecord)),
      unit: 'objects/s',
      note: `${againRecord.result.heads} HEAD, ${againRecord.requests} requests (target ≥ 200,000, no HEAD)`,
    },
    {
      name: '1M again, live listing',
      value: perSecond(again.result.verified, total(again)),
      unit: 'objects/s',
      note: `${again.result.heads} HEAD, ${again.requests} requests`,
    },
    {
      name: '20k HEAD per object',
      value: perSecond(head.result.verified, total(head)),
      unit: 'objects/s',
      note: `${head.requests} requests (${round(headPerObject)} per object)`,
    },
  ];
}

/** `npm run bench -- --only verify`. */
export const verifySection: BenchSection = {
  name: 'verify',
  summary: '1,000,000 objects verified from a CRC inventory, again, and 20,000 by HEAD',
  async run(ctx) {
    mkdirSync(ctx.tmpDir, { recursive: true });
    const dir = mkdtempSync(join(ctx.tmpDir, 'verify-'));
    ctx.log(`verify: seeding ${BIG + SMALL} objects in the emulator`);
    const { emu, seedSeconds } = await startEmulator(join(dirname(ctx.benchScript), 'emulator.js'), dir);
    try {
      const inventorySeconds = await runInventory(emu);
      ctx.log(`verify: seeded in ${round(seedSeconds)} s, inventory report written in ${round(inventorySeconds)} s`);
      const measured = await rows(ctx.benchScript, emu, dir, ctx.log);
      const json = Object.fromEntries(measured.map((r) => [r.name, r.value]));
      return {
        json: { verify: { ...json, seed_seconds: round(seedSeconds), inventory_seconds: round(inventorySeconds) } },
        rows: measured,
      };
    } finally {
      const exited = once(emu.child, 'exit');
      emu.child.kill('SIGTERM');
      await exited;
    }
  },
};
