import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { cli, inventoryNow, makeBucket, regions } from './fixtures';

/**
 * `bucket-integrity verify <remote> <remote>` against the emulator through the real SDKs: each planted
 * difference found with its symbol, nothing else; only what changed since the reports is HEADed.
 */

let emu: Emulator;
const temp = makeTempDir('bi-audit-');

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
  temp.cleanup();
});

const SAME = ['a.txt', 'b/c.txt', 'b/d e+f.txt', 'ü/数据', 'z'];

/** What a correct audit of the planted pair reports, every object once, in key order. */
const EXPECTED = [
  '= a.txt',
  '= b/c.txt',
  '= b/d e+f.txt',
  '* changed',
  '* grown',
  '* late',
  '? legacy',
  '+ only-first',
  '- only-second',
  '= z',
  '= ü/数据',
];

interface Pair {
  a: ProviderKind;
  b: ProviderKind;
  storeA: ObjectStore;
  storeB: ObjectStore;
  urlA: string;
  urlB: string;
  bucketA: string;
  bucketB: string;
  dir: string;
}

/** Two places with the planted differences, inventories run, then one object changed on the first side. */
async function plant(a: ProviderKind, b: ProviderKind, name: string): Promise<Pair> {
  const storeA = await emulatorStore(emu, a);
  const storeB = await emulatorStore(emu, b);
  const bucketA = await makeBucket(emu, a, `${name}a`);
  // Same cloud: both sides are prefixes of one bucket (they must not overlap).
  const bucketB = a === b ? bucketA : await makeBucket(emu, b, `${name}b`);
  const pa = 'src/';
  const pb = a === b ? 'dst/' : 'copy/';
  for (const k of [...SAME, 'late']) {
    await storeA.put(bucketA, pa + k, Buffer.from(`body of ${k}`));
    await storeB.put(bucketB, pb + k, Buffer.from(`body of ${k}`));
  }
  await storeA.put(bucketA, `${pa}changed`, Buffer.from('version one'));
  await storeB.put(bucketB, `${pb}changed`, Buffer.from('version two'));
  await storeA.put(bucketA, `${pa}grown`, Buffer.from('short'));
  await storeB.put(bucketB, `${pb}grown`, Buffer.from('short and longer'));
  await storeA.put(bucketA, `${pa}only-first`, Buffer.from('only here'));
  await storeB.put(bucketB, `${pb}only-second`, Buffer.from('only there'));
  await storeA.put(bucketA, `${pa}legacy`, Buffer.from('old bytes'));
  await emu.putLegacyObject(b, bucketB, `${pb}legacy`, 'old bytes');
  await inventoryNow(emu, storeA, a, bucketA, 'crca', { prefix: pa });
  await inventoryNow(emu, storeB, b, bucketB, 'crcb', { prefix: pb });
  // Changed after the reports: the listing shows a new ETag, so it alone is HEADed.
  await new Promise((r) => setTimeout(r, 1100));
  await storeA.put(bucketA, `${pa}late`, Buffer.from('body of LATE'));
  const dir = join(temp.dir, name);
  return { a, b, storeA, storeB, bucketA, bucketB, urlA: `${a}://${bucketA}/${pa}`, urlB: `${b}://${bucketB}/${pb}`, dir };
}

const heads = () => emu.requests().filter((r) => r.op === 'HeadObject');

describe.each([
  ['cos', 'oss'],
  ['oss', 'cos'],
  ['cos', 'cos'],
  ['oss', 'oss'],
] as const)('bucket against bucket, %s ↔ %s', (a, b) => {
  let pair: Pair;
  const inv = ['--inventory', 'crca', '--inventory2', 'crcb'];

  beforeAll(async () => {
    pair = await plant(a, b, `${a}${b}`);
  });

  it('finds every planted difference from the inventories and the live listings, HEADing only what changed since', async () => {
    emu.clearRequests();
    const r = await cli(emu, pair.dir, [
      ...regions(emu, a, b),
      ...inv,
      '--json',
      '--combined',
      'all.txt',
      '--report',
      'r.csv',
      pair.urlA,
      pair.urlB,
    ]);
    expect(r.stderr).not.toMatch(/unexpected/);
    expect(r.code).toBe(1);
    expect(readFileSync(join(pair.dir, 'all.txt'), 'utf8').trim().split('\n')).toEqual(EXPECTED);
    expect(heads().map((h) => h.key)).toEqual([`src/late`]);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ total: 11, match: 5, differ: 3, 'only-local': 1, 'only-remote': 1, 'no-crc': 1, error: 0 });
    expect(json.requests.first.head + json.requests.second.head).toBe(1);
    expect(json.issues.find((i: { path: string }) => i.path === 'legacy').detail).toBe('stored without a CRC-64 in the second bucket');
    expect(json.issues.find((i: { path: string }) => i.path === 'grown').detail).toMatch(/sizes differ/);
    const csv = readFileSync(join(pair.dir, 'r.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('status,path,size_first,size_second,crc64_first,crc64_second,detail');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual([
      'differ changed',
      'differ grown',
      'differ late',
      'no-crc legacy',
      'only-local only-first',
      'only-remote only-second',
    ]);
  });

  it('judges from the two inventories alone with --record-only: no listing, no HEAD (as fresh as the reports)', async () => {
    emu.clearRequests();
    // Without --combined the record checks the pairs itself (matches counted in SQL); with it, every pair is read out.
    const counted = await cli(emu, pair.dir, [...regions(emu, a, b), ...inv, '--record-only', '--restart', '--json', pair.urlA, pair.urlB]);
    const listed = await cli(emu, pair.dir, [
      ...regions(emu, a, b),
      ...inv,
      '--record-only',
      '--restart',
      '--json',
      '--combined',
      'rec.txt',
      pair.urlA,
      pair.urlB,
    ]);
    expect(heads()).toEqual([]);
    for (const r of [counted, listed]) {
      expect(r.code).toBe(1);
      const json = JSON.parse(r.stdout);
      expect(json.requests).toEqual({ first: { list: 0, head: 0, get: 0 }, second: { list: 0, head: 0, get: 0 } });
      expect(json.summary).toMatchObject({ total: 11, match: 5, differ: 3, 'only-local': 1, 'only-remote': 1, 'no-crc': 1 });
      // The record knows "late" as the listing HEADed it in the run before: the same verdicts.
      expect(json.issues.map((i: { status: string; path: string }) => `${i.status} ${i.path}`)).toEqual([
        'differ changed',
        'differ grown',
        'differ late',
        'no-crc legacy',
        'only-local only-first',
        'only-remote only-second',
      ]);
    }
    expect(JSON.parse(counted.stdout).issues).toEqual(JSON.parse(listed.stdout).issues);
    expect(readFileSync(join(pair.dir, 'rec.txt'), 'utf8').trim().split('\n')).toEqual(EXPECTED);
  });

  it('reads and hashes what has no CRC-64 with --download (streamed), and the "?" becomes a verdict', async () => {
    emu.clearRequests();
    const r = await cli(emu, pair.dir, [...regions(emu, a, b), ...inv, '--download', '--restart', '--json', pair.urlA, pair.urlB]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ total: 11, match: 6, 'no-crc': 0, differ: 3 });
    const gets = emu.requests().filter((q) => q.op === 'GetObject' && !(q.key ?? '').startsWith('inv'));
    expect(gets.map((g) => g.key)).toEqual([`${b === a ? 'dst' : 'copy'}/legacy`]);
    // Recorded: a second run needs no download.
    emu.clearRequests();
    const again = await cli(emu, pair.dir, [...regions(emu, a, b), ...inv, '--download', '--restart', '--json', pair.urlA, pair.urlB]);
    expect(JSON.parse(again.stdout).summary).toMatchObject({ match: 6, 'no-crc': 0 });
    expect(emu.requests().filter((q) => q.op === 'GetObject' && !(q.key ?? '').startsWith('inv'))).toEqual([]);
  });
});

describe('bad input', () => {
  let store: ObjectStore;
  let bucket: string;
  const dir = join(temp.dir, 'bad');

  beforeAll(async () => {
    store = await emulatorStore(emu, 'cos');
    bucket = await makeBucket(emu, 'cos', 'bad');
    for (let i = 0; i < 3; i++) {
      await store.put(bucket, `x/${i}`, Buffer.from(`x${i}`));
      await store.put(bucket, `y/${i}`, Buffer.from(`x${i}`));
    }
    await inventoryNow(emu, store, 'cos', bucket, 'plain', { prefix: 'y/', withCrc: false });
    await inventoryNow(emu, store, 'cos', bucket, 'crc', { prefix: 'x/' });
  });

  it('refuses two prefixes that overlap in one bucket, however the endpoint is spelled, before any request', async () => {
    emu.clearRequests();
    const r = await cli(emu, dir, ['--region', emu.cos.region, `cos://${bucket}/x`, `cos://${bucket}/x/sub`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/overlap in one bucket/);
    const same = await cli(emu, dir, [
      '--region',
      emu.cos.region,
      '--endpoint2',
      emu.endpoint.replace('127.0.0.1', 'localhost'),
      `cos://${bucket}/x/`,
      `cos://${bucket}/x`,
    ]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/audited against itself/);
    expect(emu.requests()).toEqual([]);
  });

  it('says so when a side has no CRC inventory, with the cost of the listing + HEAD route, and takes it with --head', async () => {
    const args = ['--region', emu.cos.region, '--inventory', 'crc', '--inventory2', 'plain', `cos://${bucket}/x`, `cos://${bucket}/y`];
    const refused = await cli(emu, dir, args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cos:\/\/[^ ]+\/y\/: The inventory "plain" .* without the Crc64 field/);
    expect(refused.stderr).toMatch(/about 1 list and 3 HEAD requests/);
    expect(refused.stderr).toMatch(/--head/);
    emu.clearRequests();
    const taken = await cli(emu, dir, [...args, '--head', '--json']);
    expect(taken.code).toBe(0);
    expect(JSON.parse(taken.stdout).summary).toMatchObject({ total: 3, match: 3 });
    expect(JSON.parse(taken.stdout).requests.second.head).toBe(3);
    expect(JSON.parse(taken.stdout).requests.first.head).toBe(0);
  });

  it('warns of a report older than a week with its date', async () => {
    const { writeReport } = await import('../inventory/reportFixture');
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const h = await store.head(bucket, `y/${i}`);
      rows.push({ key: h.key, size: h.size, etag: h.etag!.replace(/"/g, ''), crc64: h.crc64, lastModified: h.lastModified!.toISOString() });
    }
    await writeReport(store, bucket, {
      provider: 'cos',
      sourceBucket: bucket,
      inventoryId: 'old',
      prefix: 'oldinv',
      run: '20240105',
      files: [rows],
    });
    const r = await cli(emu, dir, [
      '--region',
      emu.cos.region,
      '--inventory',
      'crc',
      '--inventory2',
      'old',
      '--inventory-bucket2',
      bucket,
      '--inventory-prefix2',
      'oldinv',
      '--report',
      'old.json',
      `cos://${bucket}/x`,
      `cos://${bucket}/y`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the inventory report of cos:\/\/[^ ]+\/y\/ is from 2024-01-05 \(\d+ days old\)/);
    const report = JSON.parse(readFileSync(join(dir, 'old.json'), 'utf8'));
    expect(report.notes.join('\n')).toMatch(/2024-01-05/);
  });
});
