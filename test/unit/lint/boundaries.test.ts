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
    expect(await ruleIds('src/storage/probe.ts', "import { REMOTE_SCHEME } from '../ui/shared/remoteUri';\nexport const s = REMOTE_SCHEME;\n")).toEqual([BOUNDARY]);
    expect(await ruleIds('src/cli/probe.ts', "export const m = require('../ui/shared/mappingModel');\n")).toEqual([BOUNDARY]);
    expect(await ruleIds('src/transfer/probe.ts', "export { remoteTargetOf } from '../ui/shared/commandArgs';\n")).toEqual([BOUNDARY]);
  });

  it('refuse transfer → integrity (the integrity layer checks transfers, not the other way round)', async () => {
    expect(await ruleIds('src/transfer/read/probe.ts', "import { judge } from '../../integrity/verdict';\nexport const j = judge;\n")).toEqual([BOUNDARY]);
    expect(await ruleIds('src/transfer/probe.ts', "import type { FileResult } from '../integrity/compare';\nexport type F = FileResult;\n")).toEqual([BOUNDARY]);
    expect(await ruleIds('src/integrity/probe.ts', "import { computeRemoteCrc64 } from '../transfer/read/remoteCrc';\nexport const c = computeRemoteCrc64;\n")).toEqual([]);
  });

  it('refuse vscode in the core', async () => {
    expect(await ruleIds('src/crc/probe.ts', "import * as vscode from 'vscode';\nexport const w = vscode.window;\n")).toEqual(['no-restricted-imports']);
  });

  it('refuse feature → feature inside src/ui, type-only imports included', async () => {
    expect(await ruleIds('src/ui/compare/probe.ts', "import type { BucketsFeature } from '../buckets/bucketsFeature';\nexport type F = BucketsFeature;\n")).toEqual([
      BOUNDARY,
    ]);
    expect(await ruleIds('src/ui/buckets/commands/probe.ts', "import { runUploads } from '../../transfer/run';\nexport const r = runUploads;\n")).toEqual([BOUNDARY]);
    expect(await ruleIds('src/ui/shared/probe.ts', "import { registerCompare } from '../compare/register';\nexport const r = registerCompare;\n")).toEqual([BOUNDARY]);
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
    expect(await ruleIds('src/storage/probe.ts', "import { isCancelled } from '../util/errors';\nexport const c = isCancelled;\n")).toEqual([]);
  });
});
