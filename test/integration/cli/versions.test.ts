import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/main';
import { isVersionLister } from '../../../src/storage/capabilities';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { versionsOfKey } from '../../../src/storage/versions';
import { cliEnv, readAll, setup, type Env } from '../transfer/fixture';
import { assertCliLeftNoSecrets, recordCliRun } from './runCli';

/**
 * The CLI on versioned buckets, both clouds: `verify --all-versions` checks every version by its id and
 * lists delete markers; `download --version-id` and `cp --version-id` keep to that one version; a version
 * id that does not exist is a clear message and writes nothing.
 */

let env: Env;
beforeAll(async () => {
  env = await setup();
});
afterAll(async () => {
  try {
    if (env) await assertCliLeftNoSecrets({ emulator: env.emu, folders: [env.dir] });
  } finally {
    await env?.close();
  }
});

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: cliEnv(env), cwd: env.dir };
  const code = await runCli(args, io);
  recordCliRun(args, io.env, { stdout, stderr });
  return { code, stdout, stderr };
}

for (const provider of ['cos', 'oss'] as ProviderKind[]) {
  describe(`bucket-integrity on a versioned ${provider} bucket`, () => {
    let store: ObjectStore;
    let oldId: string;
    const bucket = () => env.bucket[provider];
    const flags = () => ['--endpoint', env.emu.endpoint, '--region', provider === 'cos' ? env.emu.cos.region : env.emu.oss.region];

    beforeAll(async () => {
      store = await env.store(provider);
      if (!isVersionLister(store)) throw new Error('no versions');
      await store.setVersioning(bucket(), 'Enabled');
      await store.put(bucket(), 'v/doc.txt', Buffer.from('old bytes'));
      await store.put(bucket(), 'v/doc.txt', Buffer.from('new bytes!'));
      await env.emu.putLegacyObject(provider, bucket(), 'v/legacy.txt', 'no crc here');
      await store.put(bucket(), 'v/legacy.txt', Buffer.from('now with a crc'));
      await store.put(bucket(), 'v/gone.txt', Buffer.from('deleted later'));
      await store.deleteObject(bucket(), 'v/gone.txt');
      oldId = (await versionsOfKey(store, bucket(), 'v/doc.txt'))[1].versionId;
    });

    it('verify --all-versions checks each version by id, names the one without a CRC-64 and shows the delete marker', async () => {
      const r = await cli(['verify', ...flags(), '--all-versions', `${provider}://${bucket()}/v/`]);
      expect(r.stdout).toMatch(/^\? legacy\.txt {2}\(version [^,)]+\): the object was stored without a CRC-64$/m);
      expect(r.stdout).toMatch(/^x gone\.txt {2}\(version [^)]+, current\): delete marker/m);
      expect(r.stdout).toContain('5 versions checked by version id: 4 match, 1 without CRC-64; 1 delete marker');
      expect(r.code).toBe(1);
      const json = JSON.parse((await cli(['verify', ...flags(), '--all-versions', '--json', `${provider}://${bucket()}/v/`])).stdout);
      expect(json.versions).toMatchObject({ versions: 5, deleteMarkers: 1, counts: { match: 4, 'no-crc': 1 } });
    });

    it('verify --all-versions --inventory of a report of all versions: the versions it lists with a CRC-64 need no HEAD', async () => {
      const b = bucket();
      await store.put(b, 'iv/doc.txt', Buffer.from('first'));
      await store.put(b, 'iv/doc.txt', Buffer.from('second'));
      await env.emu.putLegacyObject(provider, b, 'iv/legacy.txt', 'no crc here');
      await store.putInventory(b, {
        id: 'allv',
        destination: {
          bucket: b,
          prefix: 'inv',
          accountId: provider === 'cos' ? env.emu.cos.appId : env.emu.accountId,
          roleName: 'AliyunOSSRole',
        },
        format: 'CSV',
        frequency: 'Daily',
        fields: ['Size', 'LastModified', 'ETag', 'Crc64'],
        prefix: 'iv/',
        includedVersions: 'All',
      });
      await env.emu.runInventory(provider, b, 'allv');
      // Written after the report: only a HEAD can check it.
      await store.put(b, 'iv/doc.txt', Buffer.from('third'));
      env.emu.clearRequests();
      const r = await cli(['verify', ...flags(), '--all-versions', '--inventory', 'allv', '--json', `${provider}://${b}/iv/`]);
      const json = JSON.parse(r.stdout);
      expect(json.versions).toMatchObject({ versions: 4, fromInventory: 2, counts: { match: 3, 'no-crc': 1 } });
      const heads = () => env.emu.requests().filter((q) => q.op === 'HeadObject' || q.op === 'GetObjectMeta').length;
      // One for the current object, changed since the report (the check of current objects), and one each
      // for the two versions the report could not give (written after it; stored without a CRC-64).
      expect(heads()).toBe(3);
      // Without the report every version is HEADed (the current object is now in the record: no HEAD).
      env.emu.clearRequests();
      const all = JSON.parse((await cli(['verify', ...flags(), '--all-versions', '--json', `${provider}://${b}/iv/`])).stdout);
      expect(all.versions).toMatchObject({ versions: 4, fromInventory: 0, counts: { match: 3, 'no-crc': 1 } });
      expect(heads()).toBe(4);
      expect(r.stderr).toMatch(/inventory "allv" of .*: 2 versions checked from the report/);

      // A report of current versions only: said, and every version HEADed.
      const current = await cli(['verify', ...flags(), '--all-versions', '--inventory', 'crc-current', '--json', `${provider}://${b}/iv/`]);
      expect(current.stderr).toMatch(/no inventory "crc-current"|lists current versions only/);
    });

    it('download --version-id writes that version, verified; the current one is untouched', async () => {
      const r = await cli(['download', ...flags(), '--version-id', oldId, `${provider}://${bucket()}/v/doc.txt`, 'old.txt']);
      expect(r.code).toBe(0);
      expect(readFileSync(join(env.dir, 'old.txt'), 'utf8')).toBe('old bytes');
      expect((await readAll(store, bucket(), 'v/doc.txt')).toString()).toBe('new bytes!');
    });

    it('download --version-id of a version that does not exist: a clear message, no file', async () => {
      const before = readdirSync(env.dir);
      const r = await cli([
        'download',
        ...flags(),
        '--version-id',
        'no-such-version',
        `${provider}://${bucket()}/v/doc.txt`,
        'missing.txt',
      ]);
      expect(r.code).not.toBe(0);
      expect(r.stderr + r.stdout).toContain('has no version "no-such-version"');
      expect(existsSync(join(env.dir, 'missing.txt'))).toBe(false);
      expect(readdirSync(env.dir)).toEqual(before);
    });

    it('cp --version-id copies that version; with --move it is refused before anything is read', async () => {
      const r = await cli([
        'cp',
        ...flags(),
        '--version-id',
        oldId,
        `${provider}://${bucket()}/v/doc.txt`,
        `${provider}://${bucket()}/restored/doc.txt`,
      ]);
      expect(r.code).toBe(0);
      expect((await readAll(store, bucket(), 'restored/doc.txt')).toString()).toBe('old bytes');
      const m = await cli([
        'cp',
        ...flags(),
        '--move',
        '--version-id',
        oldId,
        `${provider}://${bucket()}/v/doc.txt`,
        `${provider}://${bucket()}/moved/doc.txt`,
      ]);
      expect(m.code).toBe(2);
      expect(m.stderr).toContain('not with --recursive or --move');
      expect((await versionsOfKey(store as never, bucket(), 'v/doc.txt')).length).toBe(2);
    });
  });
}
