import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BucketIntegrityApi } from '../../../src/ui/api';
import { OSS_PROFILE } from '../../../demo/model';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';

/**
 * Compare, Verify and Append say what they did to which file(s) and where, and offer Reveal in Buckets
 * (the place checked) and Show Log, as uploads and copies do. The notifications are read back through the
 * extension's API (what it showed), run against the demo data in a real extension host.
 */

const ctx = e2eContext();

function api(): BucketIntegrityApi {
  return vscode.extensions.getExtension<BucketIntegrityApi>(EXTENSION_ID)!.exports;
}

/** The newest notice after `run`, which must have shown one. */
async function noticeOf(run: () => Thenable<unknown>): Promise<ReturnType<BucketIntegrityApi['notices']>[number]> {
  const before = api().notices()[0];
  await run();
  const [latest] = api().notices();
  assert.ok(latest && latest !== before && latest.message !== before?.message, 'no notification was shown');
  return latest;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('Notifications of compare, verify and append', function () {
  let about: NonNullable<typeof ctx.demo>['objects'][number];

  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    about = ctx.demo.objects.find((o) => o.key === 'site/about.html')!;
  });

  it('Compare with Remote of a file names it and its object, and offers Open Report, Reveal in Buckets and Show Log', async () => {
    const file = vscode.Uri.file(path.join(ctx.workspace, about.localPath!));
    const notice = await noticeOf(() => vscode.commands.executeCommand('bucketIntegrity.compareWithRemote', file));
    assert.equal(notice.level, 'warning');
    assert.match(
      notice.message,
      new RegExp(`^about\\.html: MISMATCH .* Compared with ${escape(`${about.profile}:${about.bucket}/site/about.html`)}\\.$`),
    );
    assert.deepEqual(notice.actions, ['Open Report', 'Reveal in Buckets', 'Show Log']);
    assert.deepEqual(notice.reveal, { profile: about.profile, bucket: about.bucket, key: 'site/about.html' });
    // Reveal in Buckets selects exactly that object.
    const revealed = await vscode.commands.executeCommand<string>('bucketIntegrity.revealInBuckets', notice.reveal);
    assert.equal(revealed, `object:/${about.profile}/${about.bucket}/site/about.html`);
  });

  it('Compare of a folder names the folder, the prefix and the counts', async () => {
    const folder = vscode.Uri.file(path.join(ctx.workspace, 'site'));
    const notice = await noticeOf(() => vscode.commands.executeCommand('bucketIntegrity.compareWithRemote', folder));
    assert.match(
      notice.message,
      new RegExp(`^Compared site with ${escape(`${about.profile}:${about.bucket}/site/`)}: \\d+ files: .*1 differ`),
    );
    assert.equal(notice.level, 'warning');
    assert.deepEqual(notice.actions, ['Open Report', 'Reveal in Buckets', 'Show Log']);
    assert.deepEqual(notice.reveal, { profile: about.profile, bucket: about.bucket, key: 'site/' });
  });

  it('Verify names the prefix and what it was checked against, with the exports, Reveal in Buckets and Show Log', async () => {
    const notice = await noticeOf(() =>
      vscode.commands.executeCommand('bucketIntegrity.verifyPrefix', {
        profile: about.profile,
        bucket: about.bucket,
        prefix: 'site/',
        againstRecord: true,
        whenNoRecord: 'head',
        restart: true,
      }),
    );
    assert.match(
      notice.message,
      new RegExp(`^Verified \\d+ objects in ${escape(`${about.profile}:${about.bucket}/site/`)} against the CRC record: `),
    );
    assert.deepEqual(notice.actions, ['Export CSV…', 'Export JSON…', 'Reveal in Buckets', 'Show Log']);
    assert.deepEqual(notice.reveal, { profile: about.profile, bucket: about.bucket, key: 'site/' });
  });

  it('Append names the local file and the object, with Reveal in Buckets and Show Log', async () => {
    const key = `e2e-notices/app-${Date.now()}.log`;
    const file = path.join(ctx.workspace, 'e2e-notices', 'app.log');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'first line\n');
    const target = { profile: OSS_PROFILE, bucket: 'demo-data', key };
    const notice = await noticeOf(() => vscode.commands.executeCommand('bucketIntegrity.appendToObject', target, vscode.Uri.file(file)));
    assert.match(
      notice.message,
      new RegExp(
        `^Appended 11 bytes of app\\.log to ${escape(`${OSS_PROFILE}:${target.bucket}/${key}`)} \\(now 11 bytes; verified, CRC-64 \\d+\\)\\.$`,
      ),
    );
    assert.equal(notice.level, 'info');
    assert.deepEqual(notice.actions, ['Reveal in Buckets', 'Show Log']);
    assert.deepEqual(notice.reveal, target);
  });
});
