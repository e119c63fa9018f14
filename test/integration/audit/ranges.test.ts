import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { cli, inventoryNow, makeBucket, regions } from './fixtures';

/**
 * Once a side's report is imported, the record knows how its keys are spread, and the audit lists each side
 * as key ranges at once (`check/recordRanges.ts`), not one page after another: every object is still judged
 * once, in key order, and the changed one found.
 */

let emu: Emulator;
const temp = makeTempDir('bi-audit-ranges-');
const N = 6000;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
  temp.cleanup();
});

it('lists both sides in key ranges at once after the import, and judges every object once', async () => {
  const cos = await emulatorStore(emu, 'cos');
  const oss = await emulatorStore(emu, 'oss');
  const a = await makeBucket(emu, 'cos', 'rga');
  const b = await makeBucket(emu, 'oss', 'rgb');
  await emu.seedObjects('cos', a, { prefix: 's/', count: N });
  await emu.seedObjects('oss', b, { prefix: 's/', count: N });
  await inventoryNow(emu, cos, 'cos', a, 'crc');
  await inventoryNow(emu, oss, 'oss', b, 'crc');
  // After the reports: the listing shows it changed, so it alone is HEADed.
  await oss.put(b, 's/4321', Buffer.from('not the seeded bytes'));

  const inFlight = { cos: 0, oss: 0 };
  const most = { cos: 0, oss: 0 };
  const hooks = (['cos', 'oss'] as const).map((dialect) =>
    emu.faults.hook({ dialect, bucket: dialect === 'cos' ? a : b, op: dialect === 'cos' ? 'ListObjects' : 'ListObjectsV2' }, async () => {
      inFlight[dialect]++;
      most[dialect] = Math.max(most[dialect], inFlight[dialect]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight[dialect]--;
    }),
  );
  try {
    const r = await cli(emu, temp.dir, [...regions(emu, 'cos', 'oss'), '--inventory', 'crc', '--json', `cos://${a}/s`, `oss://${b}/s`]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ total: N, match: N - 1, differ: 1 });
    expect(json.issues.map((i: { path: string; status: string }) => `${i.status} ${i.path}`)).toEqual(['differ 4321']);
    expect(json.requests.second.head).toBe(1);
    // Six pages a side, listed as ranges of two: a few more requests than pages, more than one at a time.
    for (const side of ['first', 'second'] as const) {
      expect(json.requests[side].list).toBeGreaterThanOrEqual(6);
      expect(json.requests[side].list).toBeLessThanOrEqual(10);
    }
  } finally {
    for (const h of hooks) emu.faults.remove(h);
  }
  expect(most.cos).toBeGreaterThan(1);
  expect(most.oss).toBeGreaterThan(1);
});
