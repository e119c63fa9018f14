import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';
import { eventually } from './eventually';
import { headObject, putObject, setRestoreTiming } from './remote';

/**
 * What needs an archived object's bytes beyond Open and Download, in a real extension host on COS and
 * OSS: Copy To…, Move… (a server-side copy, or a streamed migration to the other cloud) and Open Changes
 * offer Restore… instead of an error, and go on once the object is restored; a restore whose copy expires
 * first is said plainly and nothing is written. The objects are written and looked at through the
 * vendors' SDKs.
 */

const ctx = e2eContext();
const BODY = 'cold rows, read only when restored\n'.repeat(30);
const ARCHIVE = { cos: 'ARCHIVE', oss: 'ColdArchive' } as const;

function api(): BucketIntegrityApi {
  return vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
}

/** Index of the newest notice matching `re` that offers `action`. */
async function noticeWith(re: RegExp, action: string): Promise<number> {
  return eventually(`a notice matching ${re} offering ${action}`, () => {
    const i = api()
      .notices()
      .findIndex((n) => re.test(n.message) && n.actions.includes(action));
    return i >= 0 ? i : undefined;
  });
}

/** Clicks `action` of a notice, answering the tier and days it asks with their first choice and "1". */
async function chooseAnswering(index: number, action: string): Promise<void> {
  let settled = false;
  const pressing = api()
    .chooseNoticeAction(index, action)
    .finally(() => (settled = true));
  for (let i = 0; i < 100 && !settled; i++) {
    await new Promise((r) => setTimeout(r, 300));
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  await pressing;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const provider of ['cos', 'oss'] as const) {
  const other = provider === 'cos' ? 'oss' : 'cos';

  describe(`Archived objects (${provider.toUpperCase()}): Copy To…, Move… and Open Changes offer Restore…`, function () {
    this.timeout(90_000);
    before(async function () {
      requireDemo(ctx);
      await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
      await vscode.workspace.getConfiguration('bucketIntegrity').update('restore.pollSeconds', 0.2, vscode.ConfigurationTarget.Global);
    });
    after(async () => {
      await vscode.workspace
        .getConfiguration('bucketIntegrity')
        .update('restore.pollSeconds', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    const placeOf = (p: 'cos' | 'oss') => {
      const found = ctx.demo!.profiles.find((x) => x.provider === p)!;
      return { profile: found.name, bucket: found.buckets[0] };
    };
    const putArchived = (bucket: string, key: string) =>
      putObject(ctx.emulator!, provider, bucket, key, BODY, { [`x-${provider}-storage-class`]: ARCHIVE[provider] });

    it('Copy To… offers Restore… instead of an error; Restore… restores, then copies (verified)', async () => {
      const { profile, bucket } = placeOf(provider);
      const key = 'archive-copy/offer.txt';
      const dst = 'archive-copy/offer-copy.txt';
      await putArchived(bucket, key);
      const r = await vscode.commands.executeCommand(
        'bucketIntegrity.copyObject',
        { profile, bucket, key },
        {
          destination: { profile, bucket, key: dst },
        },
      );
      assert.equal(r, undefined);
      const index = await noticeWith(new RegExp(`^${escape(key)} is archived: the copy needs its bytes`), 'Restore…');
      assert.equal(await headObject(ctx.emulator!, provider, bucket, dst), undefined, 'nothing is copied before the restore');

      await chooseAnswering(index, 'Restore…');
      const copied = await headObject(ctx.emulator!, provider, bucket, dst);
      const source = await headObject(ctx.emulator!, provider, bucket, key);
      assert.equal(copied?.size, BODY.length);
      assert.ok(copied?.crc64 && copied.crc64 === source?.crc64, `copy CRC-64 ${copied?.crc64}, source ${source?.crc64}`);
    });

    it(`Move… to the ${other.toUpperCase()} profile (a streamed migration) with a restore: restored, migrated, verified, source deleted`, async () => {
      const from = placeOf(provider);
      const to = placeOf(other);
      const key = 'archive-copy/migrate.txt';
      const dst = `archive-copy/from-${provider}.txt`;
      await putArchived(from.bucket, key);
      const r = await vscode.commands.executeCommand<{ method: string; verified: boolean; sourceDeleted: boolean }>(
        'bucketIntegrity.moveObject',
        { ...from, key },
        { destination: { ...to, key: dst }, restore: { tier: 'Expedited', days: 1 } },
      );
      assert.equal(r?.method, 'stream', JSON.stringify(r));
      assert.equal(r?.verified, true);
      assert.equal(r?.sourceDeleted, true);
      assert.equal((await headObject(ctx.emulator!, other, to.bucket, dst))?.size, BODY.length);
      assert.equal(await headObject(ctx.emulator!, provider, from.bucket, key), undefined);
    });

    it('Move… of a folder with archived objects restores them (as its arguments ask), copies all, then deletes what the audit proved', async () => {
      const { profile, bucket } = placeOf(provider);
      await putObject(ctx.emulator!, provider, bucket, 'archive-folder/warm.txt', 'warm bytes\n');
      await putArchived(bucket, 'archive-folder/cold/a.txt');
      await putArchived(bucket, 'archive-folder/cold/b.txt');
      const folder = vscode.Uri.from({ scheme: 'bucket-integrity', path: `/${profile}/${bucket}/archive-folder/` });
      const r = await vscode.commands.executeCommand<{
        copied: number;
        failed: unknown[];
        counts: Record<string, number>;
        deleted: number;
      }>('bucketIntegrity.moveObject', folder, {
        destination: { profile, bucket, key: 'archive-folder-moved/' },
        restore: { tier: 'Expedited', days: 1 },
      });
      assert.deepEqual(r?.failed, [], JSON.stringify(r));
      assert.equal(r?.copied, 3);
      assert.equal(r?.counts.match, 3);
      assert.equal(r?.deleted, 3);
      for (const name of ['warm.txt', 'cold/a.txt', 'cold/b.txt']) {
        const copy = await headObject(ctx.emulator!, provider, bucket, `archive-folder-moved/${name}`);
        assert.ok(copy?.crc64, `archive-folder-moved/${name} has a CRC-64`);
        assert.equal(
          await headObject(ctx.emulator!, provider, bucket, `archive-folder/${name}`),
          undefined,
          `archive-folder/${name} moved`,
        );
      }
    });

    it('a restore that expires before the copy could read it: said plainly, nothing written', async () => {
      const { profile, bucket } = placeOf(provider);
      const key = 'archive-copy/expiring.txt';
      const dst = 'archive-copy/expiring-copy.txt';
      await putArchived(bucket, key);
      const before = await setRestoreTiming(ctx.emulator!, { delayMs: 100, dayMs: 1 });
      try {
        const r = await vscode.commands.executeCommand(
          'bucketIntegrity.copyObject',
          { profile, bucket, key },
          {
            destination: { profile, bucket, key: dst },
            restore: { tier: 'Standard', days: 1 },
          },
        );
        assert.equal(r, undefined);
        await eventually('the expiry said', () =>
          api()
            .notices()
            .find(
              (n) => n.level === 'error' && /restored copy of .*expiring\.txt.* expired before it could be read in full/.test(n.message),
            ),
        );
        assert.equal(await headObject(ctx.emulator!, provider, bucket, dst), undefined);
      } finally {
        await setRestoreTiming(ctx.emulator!, before);
      }
    });

    it('Open Changes of an archived object offers Restore…, which then reopens the diff (not the object alone)', async () => {
      const { profile, bucket } = placeOf(provider);
      const key = 'archive-diff/report.txt';
      await putArchived(bucket, key);
      const localPath = path.join(ctx.workspace, 'archive-diff', `${provider}-report.txt`);
      fs.mkdirSync(path.dirname(localPath), { recursive: true });
      fs.writeFileSync(localPath, 'the local edit\n');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');

      await vscode.commands.executeCommand('bucketIntegrity.openChanges', { profile, bucket, key, localPath });
      const index = await noticeWith(new RegExp(`^${escape(key)} is archived: Open Changes needs its bytes`), 'Restore…');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');

      await chooseAnswering(index, 'Restore…');
      const remotePath = `/${bucket}/${key}`;
      const tab = await eventually('the diff reopened', () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.path === remotePath),
      );
      const diff = tab.input as vscode.TabInputTextDiff;
      assert.equal(diff.modified.fsPath, localPath);
      const remote = await eventually('the object read', () =>
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === diff.original.toString() && d.getText() !== ''),
      );
      assert.equal(remote.getText(), BODY);
      assert.ok(
        !vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .some((t) => t.input instanceof vscode.TabInputText && t.input.uri.path === remotePath),
        'the object was not opened alone',
      );
    });
  });
}
