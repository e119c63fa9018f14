import * as fs from 'node:fs';

/** What the runner prepared for the extension tests: the emulator, the demo data and where to report. */
export interface E2eContext {
  /** The workspace folder the window was opened on (a copy of demo/workspace). */
  workspace: string;
  /** The window's user settings file (profiles live there: they are never read from a workspace). */
  userSettingsFile?: string;
  /** JSON file listing keys the tests used beyond the emulator's (the runner's secrets sweep reads it). */
  secretsFile?: string;
  /** JSON file the Mocha entry writes its results to. */
  resultsFile?: string;
  /** JSON file tests append measurements to (activation time, …). */
  metricsFile?: string;
  /** Path of the repository's copy of the crcmod vectors (test/fixtures/crc64). */
  vectorsPath: string;
  emulator?: {
    endpoint: string;
    port: number;
    cos: { secretId: string; secretKey: string; appId: string; region: string };
    oss: { accessKeyId: string; accessKeySecret: string; region: string };
  };
  /** The seeded demo data, as described by demo/seed.ts. */
  demo?: import('../../../demo/model').DemoManifest;
}

export const EXTENSION_ID = 'bucket-integrity.bucket-integrity';

let cached: E2eContext | undefined;

/** The context file named by BUCKET_INTEGRITY_E2E_CONTEXT, set by scripts/e2e/run.js in the host's environment. */
export function e2eContext(): E2eContext {
  if (cached) return cached;
  const file = process.env.BUCKET_INTEGRITY_E2E_CONTEXT;
  if (!file) throw new Error('BUCKET_INTEGRITY_E2E_CONTEXT is not set: run these tests through `npm run test:e2e`.');
  cached = JSON.parse(fs.readFileSync(file, 'utf8')) as E2eContext;
  return cached;
}

/** Names keys a test gives the extension, so the runner's secrets sweep looks for them too. */
export function declareTestSecret(label: string, value: string): void {
  const file = e2eContext().secretsFile;
  if (!file) return;
  let list: { label: string; value: string }[] = [];
  try {
    list = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* first one */
  }
  list.push({ label, value });
  fs.writeFileSync(file, JSON.stringify(list));
}

/** Records a named measurement for the runner's summary. */
export function recordMetric(name: string, value: number | string | boolean): void {
  const file = e2eContext().metricsFile;
  if (!file) return;
  let metrics: Record<string, unknown> = {};
  try {
    metrics = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* first metric */
  }
  metrics[name] = value;
  fs.writeFileSync(file, JSON.stringify(metrics, null, 2));
}

/** The measurements recorded so far in this run. */
export function readMetrics(): Record<string, unknown> {
  const file = e2eContext().metricsFile;
  if (!file) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Fails (never skips) a suite when the runner gave no demo data or emulator: a run that tests nothing
 * must not pass. scripts/e2e/run.js already refuses to start without the demo bundle.
 */
export function requireDemo(ctx: E2eContext): asserts ctx is E2eContext & Required<Pick<E2eContext, 'demo' | 'emulator'>> {
  if (!ctx.demo || !ctx.emulator) {
    throw new Error(
      'The e2e context has no demo data or emulator (is dist/demo-seed.js built?): run the end-to-end tests through `npm run test:e2e`.',
    );
  }
}
