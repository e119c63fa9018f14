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
