import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { cli, inventoryNow, makeBucket, regions } from './fixtures';

/** Ctrl+C in the middle of an audit (exit 130), then the same command continues where it stopped. */

let emu: Emulator;
const temp = makeTempDir('bi-audit-resume-');
const N = 3500;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
  temp.cleanup();
});

it('stops on cancel with 130 and a second run continues: every object judged once, the missing one found', async () => {
  const cos = await emulatorStore(emu, 'cos');
  const oss = await emulatorStore(emu, 'oss');
  const a = await makeBucket(emu, 'cos', 'resa');
  const b = await makeBucket(emu, 'oss', 'resb');
  const reports = await makeBucket(emu, 'oss', 'resinv');
  const reportsCos = await makeBucket(emu, 'cos', 'resinv');
  await emu.seedObjects('cos', a, { prefix: 's/', count: N });
  await emu.seedObjects('oss', b, { prefix: 's/', count: N });
  await oss.deleteObject(b, 's/2000');
  await inventoryNow(emu, cos, 'cos', a, 'crc', { dest: reportsCos });
  await inventoryNow(emu, oss, 'oss', b, 'crc', { dest: reports });

  const controller = new AbortController();
  let lists = 0;
  const hook = emu.faults.hook({ dialect: 'cos', op: 'ListObjects', bucket: a }, () => {
    // The first side's fourth listing request stops the run part way (its key ranges list ahead of the judging).
    if (++lists === 4) controller.abort();
  });
  const args = [...regions(emu, 'cos', 'oss'), '--inventory', 'crc', '--combined', 'all.txt', '--json', `cos://${a}/s`, `oss://${b}/s`];
  const stopped = await cli(emu, temp.dir, args, controller.signal);
  emu.faults.remove(hook);
  expect(stopped.code).toBe(130);
  const before = readFileSync(join(temp.dir, 'all.txt'), 'utf8').trim().split('\n');
  expect(before.length).toBeGreaterThanOrEqual(1000);
  expect(before.length).toBeLessThan(N);

  const resumed = await cli(emu, temp.dir, args);
  expect(resumed.stderr).toMatch(/continuing the run that was stopped/);
  expect(resumed.code).toBe(1);
  const json = JSON.parse(resumed.stdout);
  expect(json.resumed).toBe(true);
  expect(json.summary).toMatchObject({ total: N, match: N - 1, 'only-local': 1 });
  expect(json.issues.map((i: { path: string; status: string }) => `${i.status} ${i.path}`)).toEqual(['only-local 2000']);
  const lines = readFileSync(join(temp.dir, 'all.txt'), 'utf8').trim().split('\n');
  expect(lines).toEqual(Array.from({ length: N }, (_, i) => `${i === 2000 ? '+' : '='} ${String(i).padStart(4, '0')}`));
});
