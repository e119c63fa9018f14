/**
 * `node dist/emulator.js [--port N] [--data DIR] [--demo] [--seed FILE.js] [--bucket [cos:|oss:]NAME]... [credential flags]`
 *
 * Starts the local COS + OSS emulator, prints one JSON line with the port, endpoint and credentials, and
 * serves until interrupted. `--seed FILE.js` loads a CommonJS module exporting
 * `seed(emulator)` (or a default function) and runs it once the server is up; `--demo` does the same
 * with `demo-seed.js` next to this bundle (the demo data set of `npm start`). `--bucket NAME` (repeatable)
 * creates a bucket once the server is up, with the service's name rules (see `bucketDialect`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { startEmulator } from './index';
import type { DialectName, Emulator, EmulatorOptions } from './types';

const USAGE = `usage: emulator [--port N] [--data DIR] [--demo] [--seed FILE.js] [--bucket [cos:|oss:]NAME]...
                [--cos-secret-id ID] [--cos-secret-key KEY] [--cos-app-id N] [--cos-region R]
                [--oss-access-key-id ID] [--oss-access-key-secret KEY] [--oss-region R]
                [--restore-delay-ms MS] [--restore-day-ms MS]

  --bucket NAME   create a bucket at start (repeatable; kept if it exists). cos:NAME or oss:NAME says
                  which service; a bare NAME ending with the COS APPID (photos-1250000000) is a COS
                  bucket, any other an OSS one. COS: <name>-<APPID>, lowercase letters, digits and
                  hyphens; OSS: 3-63 lowercase letters, digits and hyphens, no hyphen first or last.
  --restore-delay-ms MS   how long a restore of an archived object takes (default 2000, or
                          EMULATOR_RESTORE_DELAY_MS)
  --restore-day-ms MS     how long one day of a restore's Days lasts (default a real day, or
                          EMULATOR_RESTORE_DAY_MS)`;

/** A `--bucket` value: the service it names (`cos:` / `oss:`, else by the APPID suffix) and the name. */
export function bucketDialect(value: string, cosAppId: string): { dialect: DialectName; name: string } {
  const m = /^(cos|oss):(.*)$/.exec(value);
  if (m) return { dialect: m[1] as DialectName, name: m[2] };
  return { dialect: value.endsWith(`-${cosAppId}`) ? 'cos' : 'oss', name: value };
}

type SeedFn = (emu: Emulator) => unknown;

function fail(message: string): never {
  process.stderr.write(`emulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

export function parseArgs(argv: string[]): { options: EmulatorOptions; seed?: string; demo: boolean; buckets: string[] } {
  const options: EmulatorOptions = { cos: {}, oss: {} };
  const buckets: string[] = [];
  let seed: string | undefined;
  let demo = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) fail(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) fail('--port must be 0..65535');
        options.port = p;
        break;
      }
      case '--restore-delay-ms':
      case '--restore-day-ms': {
        const ms = Number(value());
        if (!Number.isInteger(ms) || ms < 0) fail(`${name} must be a whole number of milliseconds`);
        if (name === '--restore-delay-ms') options.restoreDelayMs = ms;
        else options.restoreDayMs = ms;
        break;
      }
      case '--data':
        options.dataDir = resolve(value());
        break;
      case '--demo':
        demo = true;
        break;
      case '--seed':
        seed = resolve(value());
        break;
      case '--bucket':
        buckets.push(value());
        break;
      case '--cos-secret-id':
        options.cos!.secretId = value();
        break;
      case '--cos-secret-key':
        options.cos!.secretKey = value();
        break;
      case '--cos-app-id':
        options.cos!.appId = value();
        break;
      case '--cos-region':
        options.cos!.region = value();
        break;
      case '--oss-access-key-id':
        options.oss!.accessKeyId = value();
        break;
      case '--oss-access-key-secret':
        options.oss!.accessKeySecret = value();
        break;
      case '--oss-region':
        options.oss!.region = value();
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${arg}`);
    }
  }
  return { options, seed, demo, buckets };
}

function loadSeed(file: string): SeedFn {
  // A run-time require of a file chosen on the command line, out of the bundler's sight.
  const mod = createRequire(__filename)(file) as { seed?: SeedFn; seedDemo?: SeedFn; default?: SeedFn } | SeedFn;
  const fn = typeof mod === 'function' ? mod : (mod.seed ?? mod.seedDemo ?? mod.default);
  if (typeof fn !== 'function') fail(`${file} exports no seed(emulator) function`);
  return fn;
}

async function main(): Promise<void> {
  const { options, seed, demo, buckets } = parseArgs(process.argv.slice(2));
  const seeds: string[] = [];
  if (demo) {
    const demoSeed = join(__dirname, 'demo-seed.js');
    if (!existsSync(demoSeed)) fail(`--demo needs ${demoSeed} (built by npm run build)`);
    seeds.push(demoSeed);
  }
  if (seed) seeds.push(seed);
  const fns = seeds.map(loadSeed);
  const emu = await startEmulator(options);
  for (const value of buckets) {
    const { dialect, name } = bucketDialect(value, emu.cos.appId);
    try {
      await emu.createBucket(dialect, name);
    } catch (e) {
      await emu.close();
      fail(`--bucket ${value}: not a valid ${dialect.toUpperCase()} bucket name (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  for (const fn of fns) await fn(emu);
  process.stdout.write(`${JSON.stringify({ port: emu.port, endpoint: emu.endpoint, dataDir: emu.dataDir, cos: emu.cos, oss: emu.oss })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
