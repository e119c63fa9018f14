import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The import boundaries are kept by `npm run lint` (eslint.config.mjs): the core never imports `vscode`
 * nor src/ui, src/ui/shared imports no feature, and UI features never import each other. These run the
 * project's own ESLint configuration on code placed (virtually) in those folders.
 */

const ROOT = resolve(__dirname, '../../..');
const BOUNDARY = 'import-x/no-restricted-paths';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('import boundaries', { timeout: 60_000 }, () => {
  it('refuse core → ui, for import and require()', async () => {
    expect(
      await ruleIds('src/storage/probe.ts', "import { REMOTE_SCHEME } from '../ui/shared/remoteUri';\nexport const s = REMOTE_SCHEME;\n"),
    ).toEqual([BOUNDARY]);
    expect(await ruleIds('src/cli/probe.ts', "export const m = require('../ui/shared/mappingModel');\n")).toEqual([BOUNDARY]);
    expect(await ruleIds('src/transfer/probe.ts', "export { remoteTargetOf } from '../ui/shared/commandArgs';\n")).toEqual([BOUNDARY]);
  });

  it('refuse transfer → integrity (the integrity layer checks transfers, not the other way round)', async () => {
    expect(
      await ruleIds('src/transfer/read/probe.ts', "import { judge } from '../../integrity/verdict';\nexport const j = judge;\n"),
    ).toEqual([BOUNDARY]);
    expect(
      await ruleIds('src/transfer/probe.ts', "import type { FileResult } from '../integrity/compare';\nexport type F = FileResult;\n"),
    ).toEqual([BOUNDARY]);
    expect(
      await ruleIds(
        'src/integrity/probe.ts',
        "import { computeRemoteCrc64 } from '../transfer/read/remoteCrc';\nexport const c = computeRemoteCrc64;\n",
      ),
    ).toEqual([]);
  });

  it('refuse vscode in the core', async () => {
    expect(await ruleIds('src/crc/probe.ts', "import * as vscode from 'vscode';\nexport const w = vscode.window;\n")).toEqual([
      'no-restricted-imports',
    ]);
  });

  it('refuse feature → feature inside src/ui, type-only imports included', async () => {
    expect(
      await ruleIds(
        'src/ui/compare/probe.ts',
        "import type { BucketsFeature } from '../buckets/bucketsFeature';\nexport type F = BucketsFeature;\n",
      ),
    ).toEqual([BOUNDARY]);
    expect(
      await ruleIds('src/ui/buckets/commands/probe.ts', "import { runUploads } from '../../transfer/run';\nexport const r = runUploads;\n"),
    ).toEqual([BOUNDARY]);
    expect(
      await ruleIds(
        'src/ui/shared/probe.ts',
        "import { registerCompare } from '../compare/register';\nexport const r = registerCompare;\n",
      ),
    ).toEqual([BOUNDARY]);
  });

  it('let a feature import ui/shared, top-level ui files, its own folder and the core', async () => {
    const code = [
      "import { remoteBadgeKey } from '../shared/badgeKeys';",
      "import type { Logger } from '../logger';",
      "import { registerCommand } from '../commands';",
      "import { rememberPairs } from './compareFeature';",
      "import { compareFile } from '../../integrity/compare';",
      'export const all = [remoteBadgeKey, registerCommand, rememberPairs, compareFile];',
      'export type L = Logger;',
      '',
    ].join('\n');
    expect(await ruleIds('src/ui/compare/probe.ts', code)).toEqual([]);
    expect(await ruleIds('src/storage/probe.ts', "import { isCancelled } from '../util/errors';\nexport const c = isCancelled;\n")).toEqual(
      [],
    );
  });
});

describe('the emulator stays an outside witness', { timeout: 60_000 }, () => {
  it('refuses emulator/ importing src/crc, by import or require()', async () => {
    expect(await ruleIds('emulator/probe.ts', "import { crc64 } from '../src/crc';\nexport const c = crc64;\n")).toEqual([BOUNDARY]);
    expect(
      await ruleIds(
        'emulator/handlers/probe.ts',
        "import { crc64Combine } from '../../src/crc/combine';\nexport const c = crc64Combine;\n",
      ),
    ).toEqual([BOUNDARY]);
    expect(await ruleIds('emulator/seed/probe.ts', "export const k = require('../../src/crc/kernel');\n")).toEqual([BOUNDARY]);
  });

  it('lets the emulator use its own CRC-64', async () => {
    expect(await ruleIds('emulator/probe.ts', "import { crc64Of } from './crc64';\nexport const c = crc64Of;\n")).toEqual([]);
  });
});

describe('clouds differ only inside src/storage', { timeout: 60_000 }, () => {
  const RULE = 'no-restricted-syntax';
  it("refuses a branch on a cloud's name elsewhere", async () => {
    expect(
      await ruleIds('src/ui/buckets/probe.ts', "export const f = (s: { provider: string }): boolean => s.provider === 'oss';\n"),
    ).toEqual([RULE]);
    expect(await ruleIds('src/inventory/probe.ts', "export const f = (p: string): boolean => 'cos' !== p;\n")).toEqual([RULE]);
    expect(
      await ruleIds(
        'src/cli/probe.ts',
        "export function f(p: string): number {\n  switch (p) {\n    case 'oss':\n      return 1;\n    default:\n      return 0;\n  }\n}\n",
      ),
    ).toEqual([RULE]);
  });

  it('lets src/storage name its clouds, and others compare two providers', async () => {
    expect(await ruleIds('src/storage/probe.ts', "export const f = (p: string): boolean => p === 'cos';\n")).toEqual([]);
    expect(
      await ruleIds(
        'src/cli/probe.ts',
        'export const same = (a: { provider: string }, b: { provider: string }): boolean => a.provider === b.provider;\n',
      ),
    ).toEqual([]);
  });
});
