import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrcRecord } from '../../../src/record';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { bundleForTest } from '../../support/bundle';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { assertCliLeftNoSecrets, runCliProcess, type CliRun } from '../cli/runCli';
import { gzipBomb, writeReport, type FixtureRow } from '../inventory/reportFixture';

/** `bucket-integrity verify` as users run it: the CLI bundle (with its SQLite WebAssembly) in its own process. */

const temp = makeTempDir('bi-cli-verify-');
let cli: string;
let emu: Emulator;

function keysEnv(provider: ProviderKind): NodeJS.ProcessEnv {
  return provider === 'cos'
    ? { COS_SECRET_ID: emu.cos.secretId, COS_SECRET_KEY: emu.cos.secretKey }
    : { OSS_ACCESS_KEY_ID: emu.oss.accessKeyId, OSS_ACCESS_KEY_SECRET: emu.oss.accessKeySecret };
}

function run(provider: ProviderKind, args: string[], stateDir: string): Promise<CliRun> {
  const region = provider === 'cos' ? emu.cos.region : emu.oss.region;
  const all = ['verify', '--endpoint', emu.endpoint, '--region', region, '--state-dir', stateDir, ...args];
  return runCliProcess(cli, all, { cwd: temp.dir, env: keysEnv(provider) });
}

beforeAll(async () => {
  const [dir, started] = await Promise.all([bundleForTest(['src/cli/main.ts', 'src/crc/worker.ts']), startTestEmulator()]);
  cli = join(dir, 'cli.js');
  emu = started;
}, 60_000);
afterAll(async () => {
  try {
    await assertCliLeftNoSecrets({ emulator: emu, folders: [temp.dir] });
  } finally {
    await emu.close();
    temp.cleanup();
  }
});

describe.each(['cos', 'oss'] as const)('bucket-integrity verify (%s)', (provider) => {
  let store: ObjectStore;
  let bucket: string;
  const state = () => join(temp.dir, `state-${provider}`);
  const url = (prefix: string) => `${provider}://${bucket}/${prefix}`;
  const heads = () => emu.requests().filter((r) => r.op === 'HeadObject').length;

  beforeAll(async () => {
    store = await emulatorStore(emu, provider);
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'vcli') : await makeOssBucket(emu, 'vcli');
    for (let i = 0; i < 6; i++) await store.put(bucket, `d/f${i}.txt`, Buffer.from(`file ${i}`));
    const rows: FixtureRow[] = [];
    for (let i = 0; i < 6; i++) {
      const h = await store.head(bucket, `d/f${i}.txt`);
      rows.push({ key: h.key, size: h.size, etag: h.etag!.replace(/"/g, ''), crc64: h.crc64, lastModified: h.lastModified!.toISOString() });
    }
    const runName = provider === 'cos' ? '20240105' : '2024-01-05T00-00Z';
    await writeReport(store, bucket, { provider, sourceBucket: bucket, inventoryId: 'crc', prefix: 'inv', run: runName, files: [rows] });
    await writeReport(store, bucket, {
      provider,
      sourceBucket: bucket,
      inventoryId: 'plain',
      prefix: 'inv',
      run: runName,
      files: [rows],
      withCrc: false,
    });
  });

  it('verifies a prefix from an inventory without one HEAD, with --json, --report and --combined', async () => {
    emu.clearRequests();
    const { code, stdout, stderr } = await run(
      provider,
      ['--inventory', 'crc', '--inventory-prefix', 'inv', '--json', '--report', 'r.csv', '--combined', 'c.txt', url('d')],
      state(),
    );
    expect(stderr).toMatch(/6 objects recorded/);
    expect(code).toBe(0);
    expect(heads()).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.summary).toMatchObject({ total: 6, match: 6, differ: 0 });
    expect(json.requests.head).toBe(0);
    expect(json.issues).toEqual([]);
    expect(readFileSync(join(temp.dir, 'c.txt'), 'utf8').trim().split('\n')).toEqual(Array.from({ length: 6 }, (_, i) => `= f${i}.txt`));
    expect(readFileSync(join(temp.dir, 'r.csv'), 'utf8').split('\n')[0]).toBe(
      'status,key,size,local_size,local_crc64,remote_crc64,previous_crc64,detail',
    );
  });

  it('compares with a local folder: exit 1 on a difference, listed with its symbol, reported as JSON', async () => {
    const dir = join(temp.dir, `local-${provider}`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `f${i}.txt`), i === 2 ? 'file X' : `file ${i}`);
    writeFileSync(join(dir, 'extra.txt'), 'extra');
    const { code, stdout } = await run(provider, ['--report', 'r.json', url('d/'), dir], state());
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\* f2\.txt {2}\(CRC-64 differs\)$/m);
    expect(stdout).toMatch(/^\+ extra\.txt/m);
    expect(stdout).toMatch(/7 objects verified .*: 5 = match, 1 \* differ, 1 \+ only-local/);
    const report = JSON.parse(readFileSync(join(temp.dir, 'r.json'), 'utf8'));
    expect(report.counts).toMatchObject({ total: 7, match: 5, differ: 1, 'only-local': 1 });
    expect(report.results.map((r: { key: string }) => r.key)).toEqual(['d/extra.txt', 'd/f2.txt']);
  });

  it('falls back to HEAD with a cost estimate when the inventory has no Crc64 field', async () => {
    emu.clearRequests();
    const { code, stderr } = await run(
      provider,
      ['--inventory', 'plain', '--inventory-prefix', 'inv', '--restart', url('d')],
      join(temp.dir, `fresh-${provider}`),
    );
    expect(stderr).toMatch(/without the Crc64 field/);
    expect(stderr).toMatch(provider === 'cos' ? /about 6 HEAD requests/ : /HEAD request/);
    expect(code).toBe(0);
    expect(heads()).toBe(6);
  });

  it('says the record is in use by another window, and refuses a record from a newer version', async () => {
    const held = await CrcRecord.open(join(state(), 'record.sqlite'));
    try {
      const { code, stderr } = await run(provider, [url('d')], state());
      expect(code).toBe(2);
      expect(stderr).toMatch(/in use by another window/);
    } finally {
      held.close();
    }
    const newer = join(temp.dir, `newer-${provider}`);
    mkdirSync(newer, { recursive: true });
    const db = new Database(join(newer, 'record.sqlite'));
    db.exec('PRAGMA user_version = 7');
    db.close();
    const before = readFileSync(join(newer, 'record.sqlite'));
    const { code, stderr } = await run(provider, [url('d')], newer);
    expect(code).toBe(2);
    expect(stderr).toMatch(/newer version of Bucket Integrity/);
    expect(readFileSync(join(newer, 'record.sqlite')).equals(before)).toBe(true);
  });

  it('moves a record of the older format once, says so, and verifies from what it held', async () => {
    const older = join(temp.dir, `older-${provider}`);
    mkdirSync(older, { recursive: true });
    // Fill a record by a verify, then turn it back into the version 1 shape (profile and bucket on every row).
    expect((await run(provider, [url('d')], older)).code).toBe(0);
    const db = new Database(join(older, 'record.sqlite'));
    // A WAL file opens in the WebAssembly build only with exclusive locking (it has no shared memory).
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec(`CREATE TABLE v1 (profile TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL, etag TEXT, size INTEGER NOT NULL,
        last_modified INTEGER, crc64 TEXT, source TEXT NOT NULL, checked_at INTEGER NOT NULL, previous_crc64 TEXT,
        PRIMARY KEY (profile, bucket, key)) WITHOUT ROWID;
      INSERT INTO v1 SELECT s.profile, s.bucket, o.key, o.etag, o.size, o.last_modified, o.crc64, o.source, o.checked_at, o.previous_crc64
        FROM objects o JOIN scopes s ON s.id = o.scope;
      DROP TABLE objects; DROP TABLE scopes; ALTER TABLE v1 RENAME TO objects; PRAGMA user_version = 1;`);
    const rows = Number((db.get('SELECT count(*) AS n FROM objects') as { n: number }).n);
    db.close();
    expect(rows).toBeGreaterThan(0);
    emu.clearRequests();
    const { code, stderr, stdout } = await run(provider, ['--record-only', url('d')], older);
    expect(stderr).toMatch(/Moving the CRC record to its new format \(once\)/);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`${rows} objects verified`));
    expect(heads()).toBe(0);
  });

  it('rejects a missing inventory with what to do', async () => {
    const { code, stderr } = await run(provider, ['--inventory', 'nope', url('d')], state());
    expect(code).toBe(2);
    expect(stderr).toMatch(/has no inventory "nope"[\s\S]*Enable CRC Inventory/);
  });
});

/** Nothing cached is believed unless it cannot be stale: local files by their full stat, objects by their listing. */
describe.each(['cos', 'oss'] as const)('verify never judges from a stale cache (%s)', (provider) => {
  let store: ObjectStore;
  let bucket: string;
  const state = () => join(temp.dir, `stale-${provider}`);
  const url = (prefix: string) => `${provider}://${bucket}/${prefix}`;
  const heads = () => emu.requests().filter((r) => r.op === 'HeadObject');
  const body = (i: number) => `stale check ${i}`;

  beforeAll(async () => {
    store = await emulatorStore(emu, provider);
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'stale') : await makeOssBucket(emu, 'stale');
    for (let i = 0; i < 3; i++) await store.put(bucket, `s/f${i}.txt`, Buffer.from(body(i)));
  });

  it('re-hashes a file edited in place whose mtime was put back (same size and inode, new ctime)', async () => {
    const dir = join(temp.dir, `inplace-${provider}`);
    mkdirSync(dir, { recursive: true });
    const old = new Date('2021-03-04T05:06:07.123Z');
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(dir, `f${i}.txt`), body(i));
      utimesSync(join(dir, `f${i}.txt`), old, old);
    }
    const first = await run(provider, [url('s/'), dir], state());
    expect(first.code, first.stderr).toBe(0);
    const file = join(dir, 'f1.txt');
    const before = statSync(file, { bigint: true });
    writeFileSync(file, body(1).replace('1', '9')); // same size, rewritten in place
    utimesSync(file, old, old); // the mtime put back, as touch -r or a copy tool would
    const after = statSync(file, { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);
    const second = await run(provider, [url('s/'), dir], state());
    expect(second.stdout).toMatch(/^\* f1\.txt {2}\(CRC-64 differs\)$/m);
    expect(second.code).toBe(1);
  });

  it('HEADs an object whose LastModified changed even when its ETag and size are what the record says', async () => {
    const first = await run(provider, ['--restart', url('s/')], state());
    expect(first.code, first.stderr).toBe(0);
    // Another client replaces the object with other bytes of the same size, in a later second.
    await new Promise((resolve) => setTimeout(resolve, 1100 - (Date.now() % 1000)));
    await store.put(bucket, 's/f2.txt', Buffer.from(body(2).replace('2', '7')));
    const etag = (await store.head(bucket, 's/f2.txt')).etag!.replace(/"/g, '').toLowerCase();
    // As with an MD5 collision pair: the record's ETag made equal to the new one, only LastModified tells.
    const record = await CrcRecord.open(join(state(), 'record.sqlite'));
    try {
      const scope = { profile: `${provider}:${emu.endpoint}`, bucket };
      const known = record.objects.get(scope, 's/f2.txt')!;
      expect(known.crc64).toMatch(/^\d+$/);
      record.rows('UPDATE objects SET etag = ? WHERE scope = ? AND key = ?', [etag, record.scopeId(scope, false), 's/f2.txt']);
    } finally {
      record.close();
    }
    emu.clearRequests();
    const second = await run(provider, ['--json', url('s/')], state());
    expect(heads().map((r) => r.key)).toEqual(['s/f2.txt']);
    expect(JSON.parse(second.stdout).summary).toMatchObject({ total: 3, match: 2, differ: 1 });
    expect(second.code).toBe(1);
  });

  it('says a --record-only verdict is the record as of its date', async () => {
    const { stderr } = await run(provider, ['--record-only', '--restart', url('s/')], state());
    expect(stderr).toMatch(/from the CRC record as of \d{4}-\d\d-\d\d \d\d:\d\d/);
  });
});

/** An inventory file that unpacks far beyond its stated size is damaged input: named, skipped, exit 2. */
describe.each(['cos', 'oss'] as const)('verify with a gzip bomb in the inventory (%s)', (provider) => {
  let bomb: Buffer;
  beforeAll(async () => {
    bomb = await gzipBomb(700 * 1024 * 1024);
  }, 60_000);

  it('names the oversized file as damaged, imports the others and exits 2', async () => {
    const store = await emulatorStore(emu, provider);
    const bucket = provider === 'cos' ? await makeCosBucket(emu, 'bomb') : await makeOssBucket(emu, 'bomb');
    const rows: FixtureRow[] = [];
    for (let i = 0; i < 2; i++) {
      await store.put(bucket, `b/f${i}.txt`, Buffer.from(`bomb ${i}`));
      const h = await store.head(bucket, `b/f${i}.txt`);
      rows.push({ key: h.key, size: h.size, etag: h.etag!.replace(/"/g, ''), crc64: h.crc64, lastModified: h.lastModified!.toISOString() });
    }
    const runName = provider === 'cos' ? '20240105' : '2024-01-05T00-00Z';
    const keys = await writeReport(store, bucket, {
      provider,
      sourceBucket: bucket,
      inventoryId: 'crc',
      prefix: 'inv',
      run: runName,
      files: [[rows[0]], [], [rows[1]]],
      rawFiles: { 1: bomb },
    });
    emu.clearRequests();
    const { code, stderr } = await run(
      provider,
      ['--inventory', 'crc', '--inventory-prefix', 'inv', `${provider}://${bucket}/b/`],
      join(temp.dir, `bomb-${provider}`),
    );
    expect(stderr).toContain(`inventory file ${keys[1]} was not imported`);
    expect(stderr).toMatch(/2 objects recorded/);
    expect(emu.requests().filter((r) => r.op === 'HeadObject')).toEqual([]);
    expect(code).toBe(2);
  }, 60_000);
});

/** Verified uploads and downloads of the CLI fill the record `verify` reads: no request needed after them. */
describe.each(['cos', 'oss'] as const)('the CRC record after CLI transfers (%s)', (provider: ProviderKind) => {
  const state = join(temp.dir, `state-${provider}`);
  const env = () =>
    provider === 'cos'
      ? { COS_SECRET_ID: emu.cos.secretId, COS_SECRET_KEY: emu.cos.secretKey, BUCKET_INTEGRITY_STATE_DIR: state }
      : { OSS_ACCESS_KEY_ID: emu.oss.accessKeyId, OSS_ACCESS_KEY_SECRET: emu.oss.accessKeySecret, BUCKET_INTEGRITY_STATE_DIR: state };
  const cliRun = (command: string, args: string[]): Promise<CliRun> => {
    const region = provider === 'cos' ? emu.cos.region : emu.oss.region;
    return runCliProcess(cli, [command, '--endpoint', emu.endpoint, '--region', region, ...args], { cwd: temp.dir, env: env() });
  };
  let bucket: string;
  const folder = join(temp.dir, `up-${provider}`);

  beforeAll(async () => {
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'trec') : await makeOssBucket(emu, 'trec');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'a.txt'), 'alpha');
    writeFileSync(join(folder, 'sub', 'b.txt'), 'beta, a little longer');
  });

  it('knows every object of a verified upload: verify --record-only answers without a request', async () => {
    const up = await cliRun('upload', [folder, `${provider}://${bucket}/up/`]);
    expect(up.code, up.stderr).toBe(0);
    emu.clearRequests();
    const verify = await cliRun('verify', ['--record-only', '--json', `${provider}://${bucket}/up/`]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(emu.requests()).toEqual([]);
    expect(JSON.parse(verify.stdout).summary).toMatchObject({ total: 2, match: 2, 'no-crc': 0 });
    const record = await CrcRecord.open(join(state, 'record.sqlite'));
    try {
      const profile = `${provider}:${emu.endpoint}`;
      const b = record.objects.get({ profile, bucket }, 'up/sub/b.txt');
      expect(b).toMatchObject({ source: 'upload', size: 'beta, a little longer'.length });
      expect(b?.crc64).toMatch(/^\d+$/);
    } finally {
      record.close();
    }
  });

  it('records a verified download, and never fails a transfer over a record held by another window', async () => {
    const target = join(temp.dir, `down-${provider}`);
    const down = await cliRun('download', [`${provider}://${bucket}/up/`, target]);
    expect(down.code, down.stderr).toBe(0);
    const record = await CrcRecord.open(join(state, 'record.sqlite'));
    try {
      expect(record.objects.get({ profile: `${provider}:${emu.endpoint}`, bucket }, 'up/a.txt')?.source).toBe('download');
      // Held open here: the upload still succeeds and says the record was not updated.
      writeFileSync(join(folder, 'c.txt'), 'gamma');
      const up = await cliRun('upload', [join(folder, 'c.txt'), `${provider}://${bucket}/up/`]);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toMatch(/CRC record was not updated/);
      expect(record.objects.get({ profile: `${provider}:${emu.endpoint}`, bucket }, 'up/c.txt')).toBeUndefined();
    } finally {
      record.close();
    }
  });
});
