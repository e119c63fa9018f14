import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { putWithState } from '../../support/objectState';
import { cliEnv, useTransferEnv } from '../transfer/fixture';
import { runCliProcess } from './runCli';

/**
 * `verify <remote> <remote> --download --restore`: an object stored without a CRC-64 that a lifecycle rule
 * archived is restored before its bytes are read and hashed; without --restore it is an error that says
 * so (never a raw 403). The CLI bundle in its own process, the objects written by the vendors' SDKs.
 */

const env = useTransferEnv();
let bundle: string;
beforeAll(async () => {
  bundle = join(await bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), 'cli.js');
});

const ARCHIVE = { cos: 'DEEP_ARCHIVE', oss: 'DeepColdArchive' } as const;
const body = 'written before CRC-64, archived since\n'.repeat(20);

describe.each(['cos', 'oss'] as const)('%s: the audit restores what --download must read', (p: ProviderKind) => {
  const flags = (): string[] => ['--endpoint', env.emu.endpoint, '--region', p === 'cos' ? env.emu.cos.region : env.emu.oss.region];
  const cli = (args: string[]) => runCliProcess(bundle, [...args, ...flags()], { cwd: env.dir, env: cliEnv(env) });
  const side = (prefix: string): string => `${p}://${env.bucket[p]}/${prefix}/`;

  it('--download without --restore: the archived object is an error naming the restore; with --restore it is restored and matches', async () => {
    env.emu.setRestoreTiming({ delayMs: 300, dayMs: 60_000 });
    await env.emu.putLegacyObject(p, env.bucket[p], 'audit-a/old.txt', body, { storageClass: ARCHIVE[p] });
    await putWithState(env.emu, p, env.bucket[p], 'audit-b/old.txt', body, {});

    const refused = await cli(['verify', '--head', '--download', '--restart', side('audit-a'), side('audit-b')]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stdout).toMatch(/^! old\.txt .*archive storage class and must be restored/m);
    expect(refused.stdout + refused.stderr).not.toMatch(/\b403\b|Forbidden/);

    const r = await cli([
      'verify',
      '--head',
      '--download',
      '--restore',
      '--restore-tier',
      'Bulk',
      '--restore-poll',
      '0.1',
      '--restart',
      side('audit-a'),
      side('audit-b'),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/audit-a\/old\.txt: archived, restore requested \(Bulk, 1 day\)/);
    expect(r.stderr).toMatch(/audit-a\/old\.txt: restored, readable until \d{4}-/);
    expect(r.stdout).not.toMatch(/^[!?*] /m);
  });

  it('--restore without --download is a usage error, before any request', async () => {
    const before = env.emu.requests().length;
    const r = await cli(['verify', '--head', '--restore', side('audit-a'), side('audit-b')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--restore needs --download/);
    expect(env.emu.requests().length).toBe(before);
  });
});
