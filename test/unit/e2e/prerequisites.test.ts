import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A run that tests nothing fails: a missing prerequisite is an error, never a skip. */

const ROOT = resolve(__dirname, '../../..');
const demo = require('../../../scripts/e2e/demo.js') as {
  requireDemoBundle(bundle?: string): void;
  startDemoServer(opts: { bundle?: string }): Promise<unknown>;
};
const { MissingPrerequisiteError } = require('../../../scripts/e2e/install.js') as { MissingPrerequisiteError: new () => Error };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('end-to-end prerequisites', () => {
  it('a missing demo bundle is a MissingPrerequisiteError naming the file and the fix', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'bi-nodemo-')), 'demo-seed.js');
    expect(() => demo.requireDemoBundle(missing)).toThrow(MissingPrerequisiteError);
    expect(() => demo.requireDemoBundle(missing)).toThrow(/demo-seed\.js is missing: run `npm run build`/);
    await expect(demo.startDemoServer({ bundle: missing })).rejects.toBeInstanceOf(MissingPrerequisiteError);
  });

  it('no end-to-end suite skips itself', () => {
    const skipping = filesUnder(join(ROOT, 'test', 'e2e'))
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /\bthis\.skip\(|\b(?:it|describe)\.skip\(/.test(readFileSync(f, 'utf8')));
    expect(skipping).toEqual([]);
  });

  it('the runner checks the demo bundle before any phase and fails the run without it', () => {
    const run = readFileSync(join(ROOT, 'scripts', 'e2e', 'run.js'), 'utf8');
    const check = run.indexOf('requireDemoBundle()');
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(run.indexOf('for (const phase of only)'));
    expect(run).not.toMatch(/tests that need buckets are skipped/);
  });
});
