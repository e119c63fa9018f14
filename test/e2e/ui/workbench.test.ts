import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc64, formatCrc64 } from '../../../src/crc';
import { requireDemo } from '../host/context';
import { eventually, uiContext, Workbench } from './workbench';

/**
 * The product as a person uses it, in code-server driven by Playwright. One window for the whole file:
 * the steps build on each other (a file uploaded in one test is "match" in the next).
 */
const ctx = uiContext();
let wb: Workbench;

function expectedCrc(relativePath: string): string {
  return formatCrc64(crc64(fs.readFileSync(path.join(ctx.workspace, relativePath))));
}

// The one window of the phase, shared by every UI test file (each puts it back to a fresh state first).
before(async function () {
  this.timeout(120_000);
  wb = await Workbench.shared(ctx);
});

afterEach(async function () {
  // A picture of the window at the moment a test failed says more than the assertion.
  if (this.currentTest?.state === 'failed' && wb) {
    await wb.screenshot(`failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
    await wb.dismissQuickInput().catch(() => undefined);
    await wb.page.keyboard.press('Escape').catch(() => undefined);
  }
});

after(async () => {
  await Workbench.closeShared();
});

describe('workbench', () => {
  before(async function () {
    this.timeout(120_000);
    wb = await Workbench.forFile(ctx);
  });

  it('opens the demo workspace with the extension loaded', async () => {
    await wb.explorerRow('site').waitFor({ state: 'visible' });
    await wb.screenshot('01-workbench');
  });

  it('computes CRC-64 from the palette (F1) for the file in the editor', async () => {
    const file = 'site/index.html';
    await wb.runCommand('Go to File...');
    await wb.quickInput().locator('input.input').fill('index.html');
    await wb.pickQuickItem('index.html');
    await wb.page.locator('.tab.active', { hasText: 'index.html' }).waitFor({ state: 'visible' });
    await wb.runCommand('Bucket Integrity: Compute CRC-64');
    await wb.waitForNotification(`CRC-64 of index.html: ${expectedCrc(file)}`, 60_000);
    await wb.screenshot('02-crc-from-palette');
    await wb.clearNotifications();
  });

  it('computes CRC-64 from the Explorer context menu', async () => {
    const file = 'data/measurements.csv';
    const row = await wb.revealInExplorer(file);
    await wb.contextMenu(row, 'Compute CRC-64', 'Bucket Integrity');
    // The first hash starts the worker pool, which takes a while on a busy machine.
    const note = await wb.waitForNotification(`CRC-64 of measurements.csv: ${expectedCrc(file)}`, 60_000);
    await wb.screenshot('03-crc-from-explorer');
    assert.ok(await note.isVisible());
    await wb.clearNotifications();
  });

  it('uploads a file from the Explorer and its badge turns to match', async function () {
    requireDemo(ctx);
    const file = ctx.demo.toUpload.localPath!;
    const row = await wb.revealInExplorer(file);
    const name = path.basename(file);
    // Mapped but not in the bucket yet: "only local" once compared, "not compared" before.
    await eventually(`a badge on ${name} before the upload`, async () => (await wb.badges(row)).some((b) => b === 'L' || b === '?'));
    await wb.screenshot('04-before-upload');
    await wb.contextMenu(row, 'Upload to Bucket (Verified)', 'Bucket Integrity');
    await eventually(`the match badge on ${name}`, async () => (await wb.badges(wb.explorerRow(name))).includes('V'), 60_000);
    await wb.screenshot('05-uploaded-match');
    // The notification names the file and where it went, and Reveal in Buckets selects the object there.
    const upload = ctx.demo.toUpload;
    const note = await wb.waitForNotification(
      new RegExp(
        `Uploaded ${name.replace(/\./g, '\\.')} to ${upload.profile}:${upload.bucket}/${upload.key.replace(/\./g, '\\.')}: 1 file verified`,
      ),
    );
    await wb.screenshot('05b-upload-notification');
    await note.locator('.monaco-button', { hasText: 'Reveal in Buckets' }).first().click();
    const selected = wb.page.locator('.part.sidebar .monaco-list-row[aria-selected="true"]', { hasText: name });
    await selected.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('05c-revealed-in-buckets');
    await wb.clearNotifications();
  });

  it('lists the buckets of each demo profile in the Buckets view', async function () {
    requireDemo(ctx);
    await wb.runCommand('View: Show Bucket Integrity');
    for (const profile of ctx.demo.profiles) {
      const row = wb.treeRow('Buckets', profile.name);
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
      for (const bucket of profile.buckets) await wb.treeRow('Buckets', bucket).waitFor({ state: 'visible', timeout: 30_000 });
    }
    await wb.screenshot('06-profiles-and-buckets');
  });
});
