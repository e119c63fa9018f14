import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrcRecord } from '../../../src/record';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { writeReport, type FixtureRow } from '../inventory/reportFixture';
import { cli, configureInventory, inventoryNow, makeBucket, regions } from './fixtures';

/**
 * `verify <remote> <remote> --stream-reports`: the two reports judged as they are read, against the
 * emulator through the real SDKs. Every planted difference is found with no listing, no HEAD and nothing
 * recorded; a report out of key order, or a damaged data file, is never half-reported: the audit says so and
 * imports both reports instead. A stopped run continues where it stopped.
 */

let emu: Emulator;
const temp = makeTempDir('bi-audit-streamed-');

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
  temp.cleanup();
});

/** As the reports were written: `late` changed after them, and only a listing would see it. */
const EXPECTED = ['= a.txt', '= b/c.txt', '* changed', '* grown', '= late', '? legacy', '+ only-first', '- only-second', '= ü/数据'];

async function plant(a: ProviderKind, b: ProviderKind, name: string) {
  const storeA = await emulatorStore(emu, a);
  const storeB = await emulatorStore(emu, b);
  const bucketA = await makeBucket(emu, a, `${name}a`);
  const bucketB = await makeBucket(emu, b, `${name}b`);
  for (const k of ['a.txt', 'b/c.txt', 'ü/数据', 'late']) {
    await storeA.put(bucketA, `src/${k}`, Buffer.from(`body of ${k}`));
    await storeB.put(bucketB, `copy/${k}`, Buffer.from(`body of ${k}`));
  }
  await storeA.put(bucketA, 'src/changed', Buffer.from('version one'));
  await storeB.put(bucketB, 'copy/changed', Buffer.from('version two'));
  await storeA.put(bucketA, 'src/grown', Buffer.from('short'));
  await storeB.put(bucketB, 'copy/grown', Buffer.from('short and longer'));
  await storeA.put(bucketA, 'src/only-first', Buffer.from('only here'));
  await storeB.put(bucketB, 'copy/only-second', Buffer.from('only there'));
  await storeA.put(bucketA, 'src/legacy', Buffer.from('old bytes'));
  await emu.putLegacyObject(b, bucketB, 'copy/legacy', 'old bytes');
  // Reports written to buckets of their own: any listing of an audited bucket is then an audit's listing.
  const reportsA = await makeBucket(emu, a, `${name}ra`);
  const reportsB = await makeBucket(emu, b, `${name}rb`);
  await inventoryNow(emu, storeA, a, bucketA, 'crca', { prefix: 'src/', dest: reportsA });
  await inventoryNow(emu, storeB, b, bucketB, 'crcb', { prefix: 'copy/', dest: reportsB });
  await storeA.put(bucketA, 'src/late', Buffer.from('body of LATE'));
  return { storeA, storeB, bucketA, bucketB, urlA: `${a}://${bucketA}/src/`, urlB: `${b}://${bucketB}/copy/`, dir: join(temp.dir, name) };
}

const inv = ['--inventory', 'crca', '--inventory2', 'crcb', '--stream-reports'];

describe.each([
  ['cos', 'oss'],
  ['oss', 'cos'],
] as const)('streamed reports, %s ↔ %s', (a, b) => {
  let pair: Awaited<ReturnType<typeof plant>>;
  beforeAll(async () => {
    pair = await plant(a, b, `st${a}${b}`);
  });

  it('finds every planted difference from the reports alone: no listing, no HEAD, nothing recorded', async () => {
    emu.clearRequests();
    const r = await cli(emu, pair.dir, [...regions(emu, a, b), ...inv, '--combined', 'all.txt', pair.urlA, pair.urlB]);
    expect(r.code).toBe(1);
    expect(readFileSync(join(pair.dir, 'all.txt'), 'utf8').trim().split('\n')).toEqual(EXPECTED);
    // The issues, printed once the run is judged, in key order.
    const printed = r.stdout
      .split('\n')
      .filter((l) => /^[*?+-] /.test(l))
      .map((l) => l.replace(/ {2}\(.*$/, ''));
    expect(printed).toEqual(EXPECTED.filter((l) => !l.startsWith('=')));
    expect(r.stdout).toMatch(/9 objects audited/);
    const audited = () =>
      emu
        .requests()
        .filter((q) => q.bucket === pair.bucketA || q.bucket === pair.bucketB)
        .map((q) => q.op);
    // Of the audited buckets, only each inventory's configuration is read: no listing, no HEAD, no object read.
    expect(audited()).toEqual(['GetBucketInventory', 'GetBucketInventory']);
    const recorded = async () => {
      const record = await CrcRecord.open(join(pair.dir, 'state', 'record.sqlite'));
      try {
        return record.objects.count({ profile: `${a}:${emu.endpoint}`, bucket: pair.bucketA }, 'src/');
      } finally {
        record.close();
      }
    };
    expect(await recorded()).toBe(0);
    // The same audit with the live listings imports the reports (the first one's eight objects recorded under
    // that scope), lists both buckets and HEADs what changed since: what the checks above would have seen.
    emu.clearRequests();
    const listed = await cli(emu, pair.dir, [...regions(emu, a, b), ...inv.slice(0, 4), pair.urlA, pair.urlB]);
    expect(listed.code).toBe(1);
    expect(await recorded()).toBe(8);
    expect(audited().filter((op) => op.startsWith('List')).length).toBeGreaterThanOrEqual(2);
    expect(audited().filter((op) => op === 'HeadObject')).toEqual(['HeadObject']);
  });

  it('prints JSON with each report marked streamed, and the basis in the report file', async () => {
    const r = await cli(emu, pair.dir, [...regions(emu, a, b), ...inv, '--json', '--report', 'r.json', pair.urlA, pair.urlB]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ total: 9, match: 4, differ: 2, 'only-local': 1, 'only-remote': 1, 'no-crc': 1, error: 0 });
    expect(json.inventories.map((i: { streamed: boolean; objects: number }) => [i.streamed, i.objects])).toEqual([
      [true, 8],
      [true, 8],
    ]);
    expect(json.issues.map((i: { path: string }) => i.path)).toEqual(['changed', 'grown', 'legacy', 'only-first', 'only-second']);
    expect(readFileSync(join(pair.dir, 'r.json'), 'utf8')).toMatch(/as they were read, not imported/);
  });

  it('with --live lists both sides and HEADs only what changed since the reports, recording only that', async () => {
    const dir = `${pair.dir}-live`;
    const scope = { profile: `${a}:${emu.endpoint}`, bucket: pair.bucketA };
    const recorded = async () => {
      const record = await CrcRecord.open(join(dir, 'state', 'record.sqlite'));
      try {
        return [...record.objects.iterateBrief(scope, 'src/')].map((o) => o.key);
      } finally {
        record.close();
      }
    };
    const audited = () =>
      emu
        .requests()
        .filter((q) => q.bucket === pair.bucketA || q.bucket === pair.bucketB)
        .map((q) => q.op);
    emu.clearRequests();
    const args = [...regions(emu, a, b), ...inv, '--live', '--combined', 'all.txt', '--report', 'r.json', pair.urlA, pair.urlB];
    const r = await cli(emu, dir, args);
    expect(r.stderr).not.toMatch(/importing/);
    expect(r.code).toBe(1);
    // `late` changed after the reports: only the listing sees it, and its HEAD tells the new CRC-64.
    const live = EXPECTED.map((l) => (l === '= late' ? '* late' : l));
    expect(readFileSync(join(dir, 'all.txt'), 'utf8').trim().split('\n')).toEqual(live);
    expect(audited().filter((op) => op === 'HeadObject')).toEqual(['HeadObject']);
    expect(audited().filter((op) => op.startsWith('List')).length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toMatch(/as they were read \(not imported\) and the live listings/);
    // The reports were not imported: the record holds what the HEAD learnt, and nothing else.
    expect(await recorded()).toEqual(['src/late']);
    // Run again: what the record learnt stands for the changed object, so nothing is HEADed.
    emu.clearRequests();
    const again = await cli(emu, dir, [...args.slice(0, -6), '--combined', 'again.txt', pair.urlA, pair.urlB]);
    expect(again.code).toBe(1);
    expect(readFileSync(join(dir, 'again.txt'), 'utf8').trim().split('\n')).toEqual(live);
    expect(audited().filter((op) => op === 'HeadObject')).toEqual([]);
  });
});

/** A hand-written report (the layout the services document) of `rows`, one data file per array. */
async function report(store: ObjectStore, provider: ProviderKind, bucket: string, id: string, files: FixtureRow[][], damage?: number) {
  await writeReport(store, bucket, {
    provider,
    sourceBucket: bucket,
    inventoryId: id,
    prefix: 'inv',
    run: provider === 'cos' ? '20240102' : '2024-01-02T03-04Z',
    files,
    ...(damage !== undefined ? { damage: (i: number, gz: Buffer) => (i === damage ? gz.subarray(0, gz.length - 9) : gz) } : {}),
  });
}

const row = (key: string, crc64: string): FixtureRow => ({ key: `d/${key}`, size: 1, etag: 'e', crc64 });

describe('reports that cannot be streamed', () => {
  let cos: ObjectStore;
  let oss: ObjectStore;
  let bucketA: string;
  let bucketB: string;
  beforeAll(async () => {
    cos = await emulatorStore(emu, 'cos');
    oss = await emulatorStore(emu, 'oss');
    bucketA = await makeBucket(emu, 'cos', 'unorda');
    bucketB = await makeBucket(emu, 'oss', 'unordb');
    // Written for the buckets' own configurations, so each report is found where its inventory writes.
    for (const [store, provider, bucket] of [
      [cos, 'cos', bucketA],
      [oss, 'oss', bucketB],
    ] as const) {
      for (const id of ['sorted', 'shuffled', 'damaged']) await configureInventory(emu, store, provider, bucket, id);
    }
    const first = [row('a', '1'), row('b', '2'), row('c', '3')];
    const second = [row('m', '4'), row('n', '5')];
    await report(cos, 'cos', bucketA, 'sorted', [first, second]);
    await report(oss, 'oss', bucketB, 'sorted', [first, [row('m', '4'), row('n', '99')]]);
    // The same rows with its two data files the other way round: in key order within each file, not across.
    await report(oss, 'oss', bucketB, 'shuffled', [[row('m', '4'), row('n', '99')], first]);
    await report(oss, 'oss', bucketB, 'damaged', [first, [row('m', '4'), row('n', '99')]], 1);
    // 2,500 objects on both sides; the second's report has its two files the other way round, so its
    // disorder shows only after the first 1,000 objects were judged "only in the first" and checkpointed.
    const many = Array.from({ length: 2500 }, (_, i) => row(`k${String(i).padStart(4, '0')}`, String(i)));
    await configureInventory(emu, cos, 'cos', bucketA, 'many');
    await configureInventory(emu, oss, 'oss', bucketB, 'many');
    await report(cos, 'cos', bucketA, 'many', [many]);
    await report(oss, 'oss', bucketB, 'many', [many.slice(1000), many.slice(0, 1000)]);
    await configureInventory(emu, oss, 'oss', bucketB, 'nocrc', { withCrc: false });
    await writeReport(oss, bucketB, {
      provider: 'oss',
      sourceBucket: bucketB,
      inventoryId: 'nocrc',
      prefix: 'inv',
      run: '2024-01-02T03-04Z',
      files: [first],
      withCrc: false,
    });
  });

  const run = (dir: string, second: string, extra: string[] = []) =>
    cli(emu, join(temp.dir, dir), [
      ...regions(emu, 'cos', 'oss'),
      '--inventory',
      'sorted',
      '--inventory2',
      second,
      '--stream-reports',
      '--combined',
      'all.txt',
      ...extra,
      `cos://${bucketA}/d/`,
      `oss://${bucketB}/d/`,
    ]);
  const combined = (dir: string) =>
    readFileSync(join(temp.dir, dir, 'all.txt'), 'utf8')
      .trim()
      .split('\n');

  it('streams two reports in key order across their files', async () => {
    const r = await run('sorted', 'sorted');
    expect(r.stderr).not.toMatch(/importing/);
    expect(r.code).toBe(1);
    expect(combined('sorted')).toEqual(['= a', '= b', '= c', '= m', '* n']);
  });

  it('says a report is out of key order, prints nothing judged from it, and judges both imported instead', async () => {
    const r = await run('shuffled', 'shuffled');
    expect(r.stderr).toMatch(/is not in key order \("d\/a" comes after "d\/n"\): importing both reports into the record instead/);
    expect(r.code).toBe(1);
    expect(combined('shuffled')).toEqual(['= a', '= b', '= c', '= m', '* n']);
    // Only the import route's verdicts were printed: one line for the one difference.
    expect(r.stdout.split('\n').filter((l) => /^[*?+-] /.test(l))).toEqual([expect.stringMatching(/^\* n {2}\(CRC-64 differs\)/)]);
  });

  it('prints nothing judged from a report found out of order after a checkpoint', async () => {
    const r = await cli(emu, join(temp.dir, 'many'), [
      ...regions(emu, 'cos', 'oss'),
      '--inventory',
      'many',
      '--stream-reports',
      `cos://${bucketA}/d/`,
      `oss://${bucketB}/d/`,
    ]);
    expect(r.stderr).toMatch(/is not in key order \("d\/k0000" comes after "d\/k2499"\)/);
    // The streamed route had judged 1,000 objects "only in the first" before it found the disorder: none is
    // printed, and the import route finds every object on both sides.
    expect(r.stdout.split('\n').filter((l) => /^[*?+-] /.test(l))).toEqual([]);
    expect(r.stdout).toMatch(/2,500 objects audited/);
    expect(r.code).toBe(0);
  });

  it('with --live, imports both reports and lists both sides when a report read for the listing is out of key order', async () => {
    const a = await makeBucket(emu, 'cos', 'unlivea');
    const b = await makeBucket(emu, 'oss', 'unliveb');
    for (const k of ['a', 'b', 'c', 'm', 'n']) {
      await cos.put(a, `d/${k}`, Buffer.from(k));
      await oss.put(b, `d/${k}`, Buffer.from(k));
    }
    await configureInventory(emu, cos, 'cos', a, 'shuffled');
    await configureInventory(emu, oss, 'oss', b, 'sorted');
    // Rows that match no listed object (another ETag): whatever is read of them, each object is HEADed.
    await report(cos, 'cos', a, 'shuffled', [
      [row('m', '4'), row('n', '5')],
      [row('a', '1'), row('b', '2'), row('c', '3')],
    ]);
    await report(oss, 'oss', b, 'sorted', [
      [row('a', '1'), row('b', '2'), row('c', '3')],
      [row('m', '4'), row('n', '5')],
    ]);
    const r = await cli(emu, join(temp.dir, 'shuffled-live'), [
      ...regions(emu, 'cos', 'oss'),
      '--inventory',
      'shuffled',
      '--inventory2',
      'sorted',
      '--stream-reports',
      '--live',
      `cos://${a}/d/`,
      `oss://${b}/d/`,
    ]);
    expect(r.stderr).toMatch(/is not in key order \("d\/a" comes after "d\/n"\): importing both reports into the record instead/);
    // The import route listed both sides and HEADed every object (the hand-written rows have other ETags).
    expect(r.stdout).toMatch(/^5 objects audited.*: 5 = match.*first: 1 list, 5 HEAD; second: 1 list, 5 HEAD/m);
    expect(r.stderr).toMatch(/objects changed since are HEADed from the live listing/);
    expect(r.code).toBe(0);
  });

  it('refuses --live without --stream-reports, and with --record-only', async () => {
    const alone = await cli(emu, join(temp.dir, 'live-alone'), [
      ...regions(emu, 'cos', 'oss'),
      '--inventory',
      'sorted',
      '--live',
      `cos://${bucketA}/d/`,
      `oss://${bucketB}/d/`,
    ]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--live goes with --stream-reports/);
    const both = await run('live-record', 'sorted', ['--live', '--record-only']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--live and --record-only contradict each other/);
  });

  it('says a side without Crc64 cannot be streamed, and with --head checks both by listing', async () => {
    const r = await run('nocrc', 'nocrc', ['--head']);
    expect(r.stderr).toMatch(/without the Crc64 field.*: importing the reports instead of streaming them/);
    expect(r.stderr).toMatch(/--stream-reports needs an inventory with Crc64 on both sides: listing both instead/);
    // Nothing is stored under d/ on either side: the listings find no object, and nothing differs.
    expect(r.stdout).toMatch(/^0 objects audited/m);
    expect(r.code).toBe(0);
  });

  it('falls back to the import on a damaged data file, which then reports the file (exit 2)', async () => {
    const r = await run('damaged', 'damaged');
    expect(r.stderr).toMatch(/could not be read whole: .*importing both reports into the record instead/);
    expect(r.stderr).toMatch(/inventory file .*-1\.csv\.gz was not imported/);
    expect(r.code).toBe(2);
  });
});

it.each([
  ['alone', []],
  ['with the live listings', ['--live']],
])('stops on cancel with 130 and a second run continues from the streamed reports (%s): every object judged once', async (name, live) => {
  const N = 3500;
  const cos = await emulatorStore(emu, 'cos');
  const oss = await emulatorStore(emu, 'oss');
  const a = await makeBucket(emu, 'cos', `stres${live.length}a`);
  const b = await makeBucket(emu, 'oss', `stres${live.length}b`);
  await emu.seedObjects('cos', a, { prefix: 's/', count: N });
  await emu.seedObjects('oss', b, { prefix: 's/', count: N });
  await oss.deleteObject(b, 's/2000');
  for (const [store, provider, bucket] of [
    [cos, 'cos', a],
    [oss, 'oss', b],
  ] as const) {
    await configureInventory(emu, store, provider, bucket, 'crc');
    // Small data files: the run is stopped when the first side's fifth file is asked for (after its manifest).
    await emu.runInventory(provider, bucket, 'crc', { rowsPerFile: 500 });
  }
  const controller = new AbortController();
  let gets = 0;
  const hook = emu.faults.hook({ dialect: 'cos', op: 'GetObject', bucket: a }, () => {
    if (++gets === 6) controller.abort();
  });
  const dir = join(temp.dir, `resume-${name}`);
  const args = [
    ...regions(emu, 'cos', 'oss'),
    '--inventory',
    'crc',
    '--stream-reports',
    ...live,
    '--combined',
    'all.txt',
    '--json',
    `cos://${a}/s`,
    `oss://${b}/s`,
  ];
  const stopped = await cli(emu, dir, args, controller.signal);
  emu.faults.remove(hook);
  expect(stopped.code).toBe(130);
  const before = readFileSync(join(dir, 'all.txt'), 'utf8').trim().split('\n');
  expect(before.length).toBeGreaterThanOrEqual(1000);
  expect(before.length).toBeLessThan(N);

  const resumed = await cli(emu, dir, args);
  expect(resumed.stderr).toMatch(/continuing the run that was stopped/);
  expect(resumed.code).toBe(1);
  const json = JSON.parse(resumed.stdout);
  expect(json.resumed).toBe(true);
  expect(json.summary).toMatchObject({ total: N, match: N - 1, 'only-local': 1 });
  const lines = readFileSync(join(dir, 'all.txt'), 'utf8').trim().split('\n');
  expect(lines).toEqual(Array.from({ length: N }, (_, i) => `${i === 2000 ? '+' : '='} ${String(i).padStart(4, '0')}`));
});
