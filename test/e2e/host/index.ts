import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { e2eContext, EXTENSION_ID, recordMetric } from './context';

/**
 * Extension-test entry point, loaded by the extension host (code-server through the URL payload, or
 * desktop VS Code through `@vscode/test-electron`). Runs every `*.test.js` beside it with Mocha and
 * writes a summary the runner prints, because the host's console is not always visible.
 */
/** Suites that need a window of their own (scripts/e2e/run.js runs them in their own phase). */
const OWN_PHASE_SUITES = ['restricted'];

export async function run(): Promise<void> {
  // Mocha 12 is an ES module: require() gives its namespace, whose `Mocha` export is the class.
  const mod = require('mocha') as typeof import('mocha') & { Mocha?: typeof import('mocha') };
  const Mocha = mod.Mocha ?? mod;
  const ctx = e2eContext();
  await measureActivation();
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', grep: process.env.E2E_GREP || undefined });
  const only = process.env.BUCKET_INTEGRITY_E2E_SUITE;
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    // A suite of its own phase (restricted: an untrusted workspace) runs only when that phase names it.
    .filter((f) => (only ? only.split(',').some((s) => f.startsWith(s)) : !OWN_PHASE_SUITES.some((s) => f.startsWith(s))))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const results: { title: string; state: string; error?: string; ms?: number }[] = [];
  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        if (ctx.resultsFile) {
          fs.mkdirSync(path.dirname(ctx.resultsFile), { recursive: true });
          fs.writeFileSync(ctx.resultsFile, JSON.stringify({ failures, tests: results }, null, 2));
        }
        if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
        else resolve();
      });
      runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
      runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
    } catch (err) {
      reject(err);
    }
  });
}

/**
 * Activation time, measured here before any test file's hooks can activate the extension: the time
 * from `activate()` to resolved, which includes loading the bundle and running `activate`.
 */
async function measureActivation(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) return;
  const wasActive = ext.isActive;
  const started = performance.now();
  await ext.activate();
  const ms = Math.round((performance.now() - started) * 10) / 10;
  recordMetric('activationWasAlreadyDone', wasActive);
  recordMetric('extensionPath', ext.extensionPath);
  if (!wasActive) recordMetric('activationMs', ms);
  console.log(`[metric] activation ${wasActive ? 'had already happened' : `${ms} ms`}`);
}
