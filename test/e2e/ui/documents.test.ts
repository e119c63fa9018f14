import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc64 as oracleCrc64 } from 'crc64-ecma182.js';
import type { Locator } from 'playwright-core';
import { EmulatorClient } from './emulatorClient';
import { requireDemo } from '../host/context';
import { eventually, uiContext, Workbench } from './workbench';

/**
 * Remote objects in the editor and drag and drop in the Buckets view, as a person uses them: Open on an
 * object row, Open Changes on the demo's mismatched object, and an object dragged onto a folder row.
 * What the editor shows is checked against the demo workspace's files, and where the dropped object
 * lands against the emulator itself (HEAD through the COS SDK), never against what the extension says.
 */
const ctx = uiContext();
const VIEW = 'Buckets';
let wb: Workbench;

/** The rows the view's tree shows, expanded along `labels` (profile, bucket, folders…); returns the last. */
async function expandPath(...labels: Array<string | RegExp>): Promise<Locator> {
  let row: Locator | undefined;
  for (const label of labels) {
    row = wb.treeRow(VIEW, label);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  }
  return row!;
}

/** Opens the Bucket Integrity container and collapses its tree, so every test starts from the profiles. */
async function showView(): Promise<void> {
  await wb.showContainer('Bucket Integrity');
  const collapse = wb.page.locator('.part.sidebar .action-label[aria-label^="Collapse All"]').first();
  if (await collapse.isVisible().catch(() => false)) await collapse.click();
}

/** A folder of the demo COS profile's bucket, created after the bucket was listed: lists the bucket again and expands it. */
async function showFolder(bucket: string, folder: string): Promise<Locator> {
  await showView();
  const bucketRow = await expandPath('Demo COS', bucket);
  await bucketRow.hover();
  await bucketRow.locator('.action-label[aria-label^="Refresh"]').first().click();
  return expandPath(new RegExp(`^${folder}`));
}

/** The text an editor draws (Monaco renders spaces as U+00A0). */
async function drawnText(editor: Locator): Promise<string> {
  return ((await editor.locator('.view-lines').first().textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** The first non-empty line of a workspace file, which the editor draws at its top. */
function firstLine(relativePath: string): string {
  return fs
    .readFileSync(path.join(ctx.workspace, relativePath), 'utf8')
    .split('\n')
    .find((l) => l.trim() !== '')!
    .trim();
}

describe('Remote objects in the editor and drag and drop (UI)', function () {
  before(async function () {
    this.timeout(120_000);
    requireDemo(ctx);
    wb = await Workbench.forFile(ctx);
  });

  afterEach(async function () {
    if (!wb) return;
    await wb.screenshotIfFailed(this.currentTest, 'documents');
    await wb.dismissQuickInput().catch(() => undefined);
    await wb.runCommand('View: Close All Editors').catch(() => undefined);
  });

  it('Open on an object row shows its text in a read-only editor', async () => {
    const index = ctx.demo!.objects.find((o) => o.key === 'site/index.html')!;
    await showView();
    const row = await expandPath('Demo COS', index.bucket, /^site/, 'index.html');
    await wb.contextMenu(row, 'Open');
    const tab = wb.page.locator('.tab.active', { hasText: 'index.html' });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const editor = wb.page.locator('.part.editor .monaco-editor').first();
    const line = firstLine(index.localPath!);
    await eventually(`"${line}" in the editor`, async () => (await drawnText(editor)).includes(line), 30_000);
    // A cos:// document: typing into it changes nothing (the provider is read-only).
    await editor.locator('.view-lines').first().click();
    await wb.page.keyboard.type('typed');
    assert.ok(!(await drawnText(editor)).includes('typed'), 'the remote document took typed text');
    await wb.screenshot('documents-01-open-object');
  });

  it('a click on an object row opens it read-only, as Open does', async () => {
    const index = ctx.demo!.objects.find((o) => o.key === 'site/index.html')!;
    await showView();
    const row = await expandPath('Demo COS', index.bucket, /^site/, 'index.html');
    await row.click();
    await wb.page.locator('.tab.active', { hasText: 'index.html' }).waitFor({ state: 'visible', timeout: 30_000 });
    const editor = wb.page.locator('.part.editor .monaco-editor').first();
    const line = firstLine(index.localPath!);
    await eventually(`"${line}" in the editor`, async () => (await drawnText(editor)).includes(line), 30_000);
    await wb.screenshot('documents-01b-click-opens-object');
  });

  it('a click on an object above the open-size limit follows the limit: not shown, Open Anyway offered', async () => {
    const bucket = ctx.demo!.objects[0].bucket;
    const folder = `big-click-${Date.now()}`;
    const emu = new EmulatorClient(ctx);
    const key = `${folder}/large.bin`;
    await emu.putObject(bucket, key, Buffer.alloc(17 * 1024 * 1024, 0x61));
    try {
      const folderRow = await showFolder(bucket, folder);
      assert.ok(folderRow);
      const row = await expandPath('large.bin');
      await row.click();
      await wb.waitForNotification(/large\.bin is 17\.0 MiB, more than the 16\.0 MiB allowed to open in an editor/);
      await wb.screenshot('documents-01c-click-large-object');
      const note = wb.notification(/allowed to open in an editor/);
      assert.ok(await note.locator('.monaco-button', { hasText: 'Open Anyway' }).first().isVisible(), 'no Open Anyway on the notification');
      await wb.clearNotifications();
    } finally {
      await emu.deleteObject(bucket, key);
    }
  });

  it('Open Changes on the mismatched object shows the diff editor, the bucket’s bytes against the file', async () => {
    const about = ctx.demo!.objects.find((o) => o.expected === 'differ' && o.key === 'site/about.html')!;
    await showView();
    const row = await expandPath('Demo COS', about.bucket, /^site/, 'about.html');
    await wb.contextMenu(row, 'Open Changes');
    const diff = wb.page.locator('.part.editor .monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.locator('.tab.active', { hasText: /about\.html .*↔ about\.html/ }).waitFor({ state: 'visible' });
    // The right side is the local file; the left the object, which the seed changed after upload.
    const right = diff.locator('.editor.modified');
    await eventually('the local file on the right', async () => (await drawnText(right)).includes(firstLine(about.localPath!)), 30_000);
    await eventually(
      'changed lines marked in the diff',
      () => diff.locator('.line-insert, .line-delete, .char-insert, .char-delete').first().isVisible(),
      30_000,
    );
    await wb.screenshot('documents-02-open-changes');
  });

  // One HEAD, as on COS: OSS's GetObjectMeta answers Content-Length, ETag and Last-Modified only (OSS API
  // "GetObjectMeta"), not the encryption the hover shows.
  it('the hover of an OSS object gets its CRC-64 from one HEAD, not GetObjectMeta', async () => {
    const csv = ctx.demo!.objects.find((o) => o.key === 'data/measurements.csv')!;
    await showView();
    const row = await expandPath('Demo OSS', csv.bucket, /^data/, 'measurements.csv');
    const since = Date.now();
    const hover = wb.page.locator('.monaco-hover', { hasText: /CRC-64: \d+/ }).first();
    // The workbench shows a hover when the pointer comes to rest on a row; one that came while the list
    // was still being drawn can be missed, so the pointer leaves and comes back until it shows.
    await eventually(
      'the object tooltip with its CRC-64',
      async () => {
        await wb.page.mouse.move(700, 400);
        await row.hover();
        return hover.waitFor({ state: 'visible', timeout: 4_000 }).then(
          () => true,
          () => false,
        );
      },
      30_000,
    );
    assert.match((await hover.textContent()) ?? '', /Storage class: \w+/);
    const calls = (await new EmulatorClient(ctx).requests()).filter((r) => r.time >= since && r.key === csv.key).map((r) => r.op);
    assert.ok(calls.includes('HeadObject'), `calls on ${csv.key}: ${calls.join(', ')}`);
    assert.ok(!calls.includes('GetObjectMeta'), `calls on ${csv.key}: ${calls.join(', ')}`);
    await wb.screenshot('documents-00-oss-tooltip');
    await wb.page.mouse.move(700, 400);
  });

  it('drags a workspace file from the Explorer onto a folder row: it is uploaded there, verified', async () => {
    const bucket = ctx.demo!.objects[0].bucket;
    const folder = `dropped-${Date.now()}`;
    const name = 'drop-me.txt';
    const body = Buffer.from(`a workspace file dropped on ${folder}\n`);
    fs.mkdirSync(path.join(ctx.workspace, folder));
    fs.writeFileSync(path.join(ctx.workspace, folder, name), body);
    const emu = new EmulatorClient(ctx);
    const keys = [`${folder}/keep.txt`, `${folder}/${name}`];
    await emu.putObject(bucket, keys[0], Buffer.from('keep\n'));
    try {
      await showFolder(bucket, folder);
      const source = await wb.revealInExplorer(`${folder}/${name}`);
      // Drag from the Explorer, rest on the Bucket Integrity icon (the side bar switches to it), drop on the folder row.
      const icon = wb.page.locator('.part.activitybar .action-item .action-label[aria-label^="Bucket Integrity"]').first();
      await source.hover();
      await wb.page.mouse.down();
      const box = (await icon.boundingBox())!;
      await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
      const target = wb.treeRow(VIEW, new RegExp(`^${folder}`));
      await eventually(
        'the Buckets view during the drag',
        async () => {
          await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 1);
          return target.isVisible();
        },
        10_000,
      );
      const row = (await target.boundingBox())!;
      await wb.page.mouse.move(row.x + row.width / 2, row.y + row.height / 2, { steps: 5 });
      await wb.page.mouse.up();
      await eventually(`${keys[1]} in the bucket`, async () => (await emu.headObject(bucket, keys[1])) !== undefined, 30_000);
      const landed = (await emu.headObject(bucket, keys[1]))!;
      assert.equal(Number(landed['content-length']), body.length);
      assert.equal(landed['x-cos-hash-crc64ecma'], oracleCrc64(body));
      await wb.waitForNotification(new RegExp(`Uploaded ${name} to Demo COS:${bucket}/${folder}/${name}: 1 file verified\\.`));
      await wb.screenshot('documents-04-drop-workspace-file');
      await wb.clearNotifications();
    } finally {
      for (const key of keys) await emu.deleteObject(bucket, key);
      fs.rmSync(path.join(ctx.workspace, folder), { recursive: true, force: true });
    }
  });

  for (const choice of ['Move here', 'Copy here'] as const) {
    it(`drags an object onto a folder row: ${choice} puts it there, verified`, async () => {
      const bucket = ctx.demo!.objects[0].bucket;
      const folder = `dnd-${choice === 'Move here' ? 'move' : 'copy'}-${Date.now()}`;
      const name = 'dragged.txt';
      const body = Buffer.from(`dragged by a person, ${choice}\n`);
      const emu = new EmulatorClient(ctx);
      const keys = [`${folder}/${name}`, `${folder}/target/keep.txt`, `${folder}/target/${name}`];
      await emu.putObject(bucket, keys[0], body);
      await emu.putObject(bucket, keys[1], Buffer.from('keep\n'));
      try {
        await showFolder(bucket, folder);
        const target = await expandPath(/^target/);
        await wb.treeRow(VIEW, 'keep.txt').waitFor({ state: 'visible' });
        const source = wb.treeRow(VIEW, name);
        await source.dragTo(target);
        await wb.pickQuickItem(choice);
        await eventually(
          `${folder}/target/${name} in the bucket`,
          async () => (await emu.headObject(bucket, `${folder}/target/${name}`)) !== undefined,
          30_000,
        );
        const landed = (await emu.headObject(bucket, `${folder}/target/${name}`))!;
        assert.equal(Number(landed['content-length']), body.length);
        await wb.waitForNotification(
          new RegExp(
            `${choice === 'Move here' ? 'Moved' : 'Copied'} ${folder}/${name} to Demo COS:${bucket}/${folder}/target/${name} \\(server-side\\): CRC-64 verified`,
          ),
        );
        const sourceLeft = await emu.headObject(bucket, `${folder}/${name}`);
        assert.equal(sourceLeft !== undefined, choice === 'Copy here', `the source after ${choice}`);
        // The tree shows the object in the folder it was dropped on.
        await eventually(
          'two rows named dragged.txt, or one under target',
          async () => {
            const rows = wb.view(VIEW).locator('.monaco-list-row', { hasText: name });
            return (await rows.count()) === (choice === 'Copy here' ? 2 : 1);
          },
          30_000,
        );
        await wb.screenshot(`documents-03-drop-${choice === 'Move here' ? 'move' : 'copy'}`);
        await wb.clearNotifications();
      } finally {
        // The other suites list this bucket: leave it as the demo seeded it.
        for (const key of keys) await emu.deleteObject(bucket, key);
      }
    });
  }
});
