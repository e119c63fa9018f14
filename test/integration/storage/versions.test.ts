import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { compareFolder } from '../../../src/integrity/compare';
import { isSymlinkReader, isVersionLister } from '../../../src/storage/capabilities';
import type { ProviderKind } from '../../../src/storage/types';
import { atVersion, versionsOfKey } from '../../../src/storage/versions';
import { copyObjectVerified, moveObjectVerified } from '../../../src/transfer/copy/verifiedCopy';
import { downloadObject } from '../../../src/transfer/downloader';
import { cosCall, cosClient } from '../../support/emulator';
import { makeTempDir } from '../../support/tempDir';
import { caughtStorage, emulatorSuite, readAll } from './helpers';

/**
 * Versioned buckets through the project's adapters on both SDKs: the listing and HEAD see the current
 * version, every version is read by its id, a verified download and a verified copy keep to one version,
 * a move never deletes another version, and an unknown version id is a clear error that writes nothing.
 */

const crcOf = (text: string) => formatCrc64(crc64(Buffer.from(text)));
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));
async function tempDir(): Promise<string> {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

for (const provider of ['cos', 'oss'] as ProviderKind[]) {
  describe(`versions on ${provider}`, () => {
    const s = emulatorSuite(provider, ['ver']);
    const bucket = () => s.buckets[0];
    const lister = () => {
      if (!isVersionLister(s.store)) throw new Error('the store lists no versions');
      return s.store;
    };

    it('a bucket never versioned is Off; Enabled keeps every version, the listing and HEAD see the current one', async () => {
      expect(await lister().getVersioning(bucket())).toBe('Off');
      await lister().setVersioning(bucket(), 'Enabled');
      expect(await lister().getVersioning(bucket())).toBe('Enabled');
      await s.store.put(bucket(), 'doc.txt', Buffer.from('version one'));
      await s.store.put(bucket(), 'doc.txt', Buffer.from('version two!'));
      const listed = await s.store.list(bucket(), { prefix: 'doc' });
      expect(listed.objects.map((o) => [o.key, o.size])).toEqual([['doc.txt', 12]]);
      const head = await s.store.head(bucket(), 'doc.txt');
      expect(head.crc64).toBe(crcOf('version two!'));
      const versions = await versionsOfKey(lister(), bucket(), 'doc.txt');
      expect(versions.map((v) => [v.size, v.isLatest, v.deleteMarker])).toEqual([
        [12, true, false],
        [11, false, false],
      ]);
      expect(head.versionId).toBe(versions[0].versionId);
      const old = await s.store.head(bucket(), 'doc.txt', { versionId: versions[1].versionId });
      expect(old.crc64).toBe(crcOf('version one'));
      expect(old.versionId).toBe(versions[1].versionId);
    });

    it('a verified download of a non-current version writes that version, checked by its CRC-64', async () => {
      const [, older] = await versionsOfKey(lister(), bucket(), 'doc.txt');
      const dir = await tempDir();
      const target = join(dir, 'old.txt');
      const r = await downloadObject(atVersion(s.store, bucket(), 'doc.txt', older.versionId), {
        bucket: bucket(),
        key: 'doc.txt',
        targetPath: target,
      });
      expect(r.verified).toBe(true);
      expect(r.crc64).toBe(crcOf('version one'));
      expect(await fs.readFile(target, 'utf8')).toBe('version one');
    });

    it('a version id that does not exist: a message that says so, and no file, not even a partial one', async () => {
      const dir = await tempDir();
      const target = join(dir, 'nope.txt');
      const err = await caughtStorage(
        downloadObject(atVersion(s.store, bucket(), 'doc.txt', 'no-such-version-id'), {
          bucket: bucket(),
          key: 'doc.txt',
          targetPath: target,
        }),
      );
      expect(err.kind).toBe('no-such-key');
      expect(err.message).toContain('has no version "no-such-version-id"');
      expect(existsSync(target)).toBe(false);
      expect(await fs.readdir(dir)).toEqual([]);
    });

    it('a delete marker read by its id: named as a delete marker, nothing written', async () => {
      await s.store.put(bucket(), 'm.txt', Buffer.from('short-lived'));
      await s.store.deleteObject(bucket(), 'm.txt');
      const [marker] = await versionsOfKey(lister(), bucket(), 'm.txt');
      expect(marker.deleteMarker).toBe(true);
      const dir = await tempDir();
      const err = await caughtStorage(
        downloadObject(atVersion(s.store, bucket(), 'm.txt', marker.versionId), {
          bucket: bucket(),
          key: 'm.txt',
          targetPath: join(dir, 'm.txt'),
        }),
      );
      expect(err.message).toContain('is a delete marker');
      expect(await fs.readdir(dir)).toEqual([]);
    });

    it('a verified copy of a version by id copies that version, not the current one', async () => {
      const [, older] = await versionsOfKey(lister(), bucket(), 'doc.txt');
      const out = await copyObjectVerified(
        atVersion(s.store, bucket(), 'doc.txt', older.versionId),
        { bucket: bucket(), key: 'doc.txt' },
        { bucket: bucket(), key: 'copy-of-one.txt' },
      );
      expect(out).toMatchObject({ verified: true, sourceCrc64: crcOf('version one'), targetCrc64: crcOf('version one') });
      const got = await s.store.get(bucket(), 'copy-of-one.txt');
      expect((await readAll(got.body)).toString()).toBe('version one');
    });

    it('a version is never moved: deleting it through the pinned view is refused', async () => {
      const [, older] = await versionsOfKey(lister(), bucket(), 'doc.txt');
      const err = await caughtStorage(
        moveObjectVerified(
          atVersion(s.store, bucket(), 'doc.txt', older.versionId),
          { bucket: bucket(), key: 'doc.txt' },
          { bucket: bucket(), key: 'moved-one.txt' },
        ),
      );
      expect(err.kind).toBe('not-supported');
      expect((await versionsOfKey(lister(), bucket(), 'doc.txt')).length).toBe(2);
    });

    it('a move of the current object leaves every version and adds a delete marker', async () => {
      await moveObjectVerified(s.store, { bucket: bucket(), key: 'doc.txt' }, { bucket: bucket(), key: 'moved.txt' });
      const versions = await versionsOfKey(lister(), bucket(), 'doc.txt');
      expect(versions.map((v) => [v.deleteMarker, v.isLatest, v.size])).toEqual([
        [true, true, 0],
        [false, false, 12],
        [false, false, 11],
      ]);
      expect((await s.store.list(bucket(), { prefix: 'doc' })).objects).toEqual([]);
      const err = await caughtStorage(s.store.head(bucket(), 'doc.txt'));
      expect(err.kind).toBe('no-such-key');
    });
  });
}

describe('OSS symlinks and appendable objects', () => {
  const s = emulatorSuite('oss', ['links']);

  it('a listed symlink has its target size and CRC-64 and is marked as a link; GetSymlink names the target', async () => {
    const bucket = s.buckets[0];
    await s.store.put(bucket, 'dir/target.bin', Buffer.from('target bytes'));
    const raw = (await import('../../support/emulator')).ossClient(s.emu, bucket);
    await raw.putSymlink('dir/link.bin', 'dir/target.bin');
    const page = await s.store.list(bucket, { prefix: 'dir/' });
    const link = page.objects.find((o) => o.key === 'dir/link.bin')!;
    expect(link).toMatchObject({ objectType: 'Symlink', size: 12, crc64: crcOf('target bytes') });
    if (!isSymlinkReader(s.store)) throw new Error('no symlinks on OSS');
    expect(await s.store.readSymlink(bucket, 'dir/link.bin')).toBe('dir/target.bin');
  });

  it('compare: a local file with the target bytes matches the link, never a mismatch', async () => {
    const bucket = s.buckets[0];
    const dir = await tempDir();
    await fs.writeFile(join(dir, 'target.bin'), 'target bytes');
    await fs.writeFile(join(dir, 'link.bin'), 'target bytes');
    const results = await compareFolder({ store: s.store }, { localDir: dir, bucket, prefix: 'dir/' });
    expect(results.map((r) => [r.relativePath, r.status]).sort()).toEqual([
      ['link.bin', 'match'],
      ['target.bin', 'match'],
    ]);
  });

  it('HEAD of an appendable object gives its next append position', async () => {
    const bucket = s.buckets[0];
    const raw = (await import('../../support/emulator')).ossClient(s.emu, bucket);
    await raw.append('log.txt', Buffer.from('12345'));
    const head = await s.store.head(bucket, 'log.txt');
    expect(head).toMatchObject({ objectType: 'Appendable', nextAppendPosition: 5 });
  });
});

describe('COS appendable objects', () => {
  const s = emulatorSuite('cos', ['appends']);

  it('HEAD of an appendable object gives its next append position (its length: COS HEAD does not say)', async () => {
    const cos = cosClient(s.emu);
    await cosCall(cos.appendObject.bind(cos), {
      Bucket: s.buckets[0],
      Region: s.emu.cos.region,
      Key: 'log.txt',
      Position: 0,
      Body: 'abcdefg',
    });
    const head = await s.store.head(s.buckets[0], 'log.txt');
    expect(head).toMatchObject({ objectType: 'Appendable', nextAppendPosition: 7 });
  });
});
