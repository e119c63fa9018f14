import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { requireDemo } from '../host/context';
import { EmulatorClient } from './emulatorClient';
import { eventually, uiContext, Workbench } from './workbench';

/**
 * The prompts of the bucket operations and the Results view, driven as a person does: the delete
 * confirmation (Cancel loses nothing, Delete deletes), the name and lifetime prompts with their checks,
 * and the Results view (its welcome text, a run grouped by outcome, Filter by Outcome, Re-run, a window
 * reload that keeps the runs, and Compare with Bucket… run again after a reload). What happened in the bucket is read back from the emulator with the SDK.
 */
const ctx = uiContext();
const BUCKETS = 'Buckets';
const RESULTS = 'Results';
let wb: Workbench;
let emu: EmulatorClient;
let bucket: string;
const folder = `ui-ops-${Date.now()}`;

async function expand(label: string | RegExp): Promise<Locator> {
  const row = wb.treeRow(BUCKETS, label);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  return row;
}

/** The dialog a modal message opens, with its buttons. */
function dialog(text: string | RegExp): Locator {
  return wb.page.locator('.monaco-dialog-box', { hasText: text }).first();
}

async function clickDialogButton(box: Locator, label: string): Promise<void> {
  await box
    .locator('.monaco-button', { hasText: new RegExp(`^${label}$`) })
    .first()
    .click();
  await box.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Compare with Bucket… asks before a HEAD per object when no inventory report and nothing in the record
 * knows a side that has objects: the demo's buckets have no inventory, so go on when it asks.
 */
async function goOnWithHeads(): Promise<void> {
  const box = dialog(/needs a HEAD request/);
  const asked = await box.waitFor({ state: 'visible', timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  if (!asked) return;
  await box
    .locator('.monaco-button', { hasText: /^Compare with/ })
    .first()
    .click();
  await box.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The run rows of the Results view whose title matches. */
function runRows(title: RegExp): Locator {
  return wb.view(RESULTS).locator('.monaco-list-row[aria-level="1"]', { hasText: title });
}

/** Developer: Reload Window, back at the Bucket Integrity views. */
async function reloadWindow(): Promise<void> {
  const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
  await wb.runCommand('Developer: Reload Window');
  await reloaded;
  await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await wb.showContainer('Bucket Integrity');
}

/** Toggles entries of the open multi-select quick pick by their label. */
async function toggleQuickItems(labels: readonly string[]): Promise<void> {
  for (const label of labels) await wb.quickInput().locator('.monaco-list-row', { hasText: label }).first().click();
}

describe('Bucket operations and the Results view (UI)', function () {
  before(async function () {
    this.timeout(180_000);
    requireDemo(ctx);
    emu = new EmulatorClient(ctx);
    bucket = ctx.demo.objects[0].bucket;
    for (const name of ['doomed.txt', 'keep.txt']) await emu.putObject(bucket, `${folder}/${name}`, Buffer.from(`body of ${name}\n`));
    wb = await Workbench.forFile(ctx);
  });

  afterEach(async function () {
    await wb?.screenshotIfFailed(this.currentTest, 'ops');
    await wb?.dismissQuickInput().catch(() => undefined);
  });

  it('Delete… asks in a modal: Cancel deletes nothing, Delete deletes the object', async () => {
    await wb.showContainer('Bucket Integrity');
    await expand('Demo COS');
    await expand(bucket);
    await expand(new RegExp(`^${folder}`));
    const row = wb.treeRow(BUCKETS, 'doomed.txt');
    await row.waitFor({ state: 'visible', timeout: 30_000 });

    await wb.contextMenu(row, 'Delete…');
    const confirm = dialog(`Delete 1 object from`);
    await confirm.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await confirm.textContent()) ?? '', /doomed\.txt/);
    await wb.screenshot('ops-01-delete-confirm');
    await clickDialogButton(confirm, 'Cancel');
    // Give a wrong delete the time to happen: the object must still be there, and the row too.
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(await emu.headObject(bucket, `${folder}/doomed.txt`), 'Cancel deleted the object');
    assert.ok(await row.isVisible(), 'Cancel took the row away');

    await wb.contextMenu(row, 'Delete…');
    await confirm.waitFor({ state: 'visible', timeout: 30_000 });
    await clickDialogButton(confirm, 'Delete');
    await eventually(
      'the object deleted in the bucket',
      async () => (await emu.headObject(bucket, `${folder}/doomed.txt`)) === undefined,
      30_000,
    );
    assert.ok(await emu.headObject(bucket, `${folder}/keep.txt`), 'an object not picked was deleted');
    await eventually('the row gone from the tree', async () => !(await wb.treeRow(BUCKETS, 'doomed.txt').isVisible()), 30_000);
  });

  it('Create Folder… asks a name: Escape creates nothing, a name creates the folder marker', async () => {
    const parent = wb.treeRow(BUCKETS, new RegExp(`^${folder}`));
    await wb.contextMenu(parent, 'Create Folder…');
    const prompt = wb.page.locator('.quick-input-widget', { hasText: 'Create Folder in' });
    await prompt.waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Escape');
    await prompt.waitFor({ state: 'hidden' });

    await wb.contextMenu(parent, 'Create Folder…');
    await prompt.waitFor({ state: 'visible' });
    await wb.screenshot('ops-02-create-folder');
    await wb.answerInput('Create Folder in', 'made-here');
    await eventually(
      'the folder marker in the bucket',
      async () => (await emu.headObject(bucket, `${folder}/made-here/`))?.['content-length'] === '0',
      30_000,
    );
    await wb.treeRow(BUCKETS, /^made-here/).waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('Copy Presigned URL… asks the lifetime, refuses one it cannot sign, and copies one it can', async () => {
    const row = wb.treeRow(BUCKETS, 'keep.txt');
    await wb.contextMenu(row, 'Copy Presigned URL…');
    const prompt = wb.page.locator('.quick-input-widget', { hasText: 'Presigned URL for' });
    await prompt.waitFor({ state: 'visible' });
    const input = prompt.locator('input.input');
    assert.equal(await input.inputValue(), '1h');
    await input.fill('8d');
    await eventually('the lifetime refused', async () => /at most 7 days/.test((await prompt.textContent()) ?? ''));
    await wb.page.keyboard.press('Enter');
    assert.ok(await prompt.isVisible(), 'a lifetime over 7 days was accepted');
    await wb.screenshot('ops-03-presigned-lifetime');
    await input.fill('30m');
    await wb.page.keyboard.press('Enter');
    await prompt.waitFor({ state: 'hidden' });
    await eventually(
      'the status bar naming the URL copied',
      () =>
        wb.page
          .locator('.part.statusbar', { hasText: /Copied a URL to .*keep\.txt valid for 30m/ })
          .first()
          .isVisible(),
      20_000,
    );
  });

  it('Create Bucket… checks the name as it is typed and creates the bucket', async () => {
    const appId = ctx.emulator!.cos.appId;
    const name = `ui-made-${Date.now() % 1_000_000}-${appId}`;
    await wb.contextMenu(wb.treeRow(BUCKETS, 'Demo COS'), 'Create Bucket…');
    const prompt = wb.page.locator('.quick-input-widget', { hasText: 'Create Bucket in Demo COS' });
    await prompt.waitFor({ state: 'visible' });
    const input = prompt.locator('input.input');
    assert.equal(await input.inputValue(), `-${appId}`, 'the APPID is not offered');
    await input.fill(`Bad_Name-${appId}`);
    await eventually('the name refused', async () =>
      /lowercase|letters|digits/i.test(
        (await prompt
          .locator('.quick-input-message')
          .textContent()
          .catch(() => '')) ?? '',
      ),
    );
    await wb.screenshot('ops-04-create-bucket-name');
    await input.fill(name);
    await wb.page.keyboard.press('Enter');
    await prompt.waitFor({ state: 'hidden' });
    await eventually(
      'the bucket in the emulator',
      () =>
        new Promise<boolean>((resolve) => emu.cos.headBucket({ Bucket: name, Region: ctx.emulator!.cos.region }, (err) => resolve(!err))),
      30_000,
    );
    await wb.treeRow(BUCKETS, name).waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('Compare with Remote names the file and its object; offers Open Report and Show Log, and Reveal in Buckets selects the object', async () => {
    const about = ctx.demo!.objects.find((o) => o.key === 'site/about.html')!;
    const row = await wb.revealInExplorer(about.localPath!);
    await wb.contextMenu(row, 'Compare with Remote', 'Bucket Integrity');
    const place = `${about.profile}:${about.bucket}/site/about.html`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const note = await wb.waitForNotification(new RegExp(`about\\.html: MISMATCH .*Compared with ${place}`));
    await wb.screenshot('ops-09-compare-notification');
    assert.ok(await note.locator('.monaco-button', { hasText: 'Show Log' }).first().isVisible(), 'no Show Log on the notification');
    assert.ok(await note.locator('.monaco-button', { hasText: 'Open Report' }).first().isVisible(), 'no Open Report on the notification');
    await note.locator('.monaco-button', { hasText: 'Reveal in Buckets' }).first().click();
    await wb.page
      .locator('.part.sidebar .monaco-list-row[aria-selected="true"]', { hasText: 'about.html' })
      .waitFor({ state: 'visible', timeout: 30_000 });
    await wb.clearNotifications();
  });

  it('the Results view: a welcome text when empty, a run by outcome, Filter by Outcome, Re-run, and the runs kept across a reload', async function () {
    this.timeout(240_000);
    await wb.showContainer('Bucket Integrity');
    // The view's own title action, as a person clears it.
    await wb.view(RESULTS).locator('.pane-header').hover();
    await wb.view(RESULTS).locator('.action-label[aria-label^="Clear Results"]').first().click();
    await eventually(
      'the welcome text',
      () => wb.view(RESULTS).locator('.welcome-view-content', { hasText: 'No results yet' }).first().isVisible(),
      20_000,
    );
    await wb.screenshot('ops-05-results-empty');

    // A compare of the demo site from the Buckets view: a run whose rows are grouped by outcome.
    await wb
      .view(BUCKETS)
      .locator('.action-label[aria-label^="Collapse All"]')
      .first()
      .click()
      .catch(() => undefined);
    await expand('Demo COS');
    await expand(bucket);
    await wb.contextMenu(wb.treeRow(BUCKETS, /^site/), 'Compare with Local');
    const title = /Compare with Local: site/;
    await eventually('the run in the Results view', () => runRows(title).first().isVisible(), 60_000);
    const differ = wb.treeRow(RESULTS, /^\* differ/);
    await differ.waitFor({ state: 'visible', timeout: 20_000 });
    await wb.treeRow(RESULTS, 'about.html').waitFor({ state: 'visible' });
    await wb.treeRow(BUCKETS, /^site/).click();
    await wb.page.mouse.move(900, 500);
    await wb.screenshot('ops-06-results-view');

    // Filter by Outcome: only what differs.
    const others = ['= match', '+ only local', '- only in the bucket', '? no CRC-64', '! error'];
    await wb.runCommand('Bucket Integrity: Filter by Outcome…');
    await wb.quickInput().locator('.monaco-list-row', { hasText: '* differ' }).first().waitFor({ state: 'visible' });
    await toggleQuickItems(others);
    await wb.page.keyboard.press('Enter');
    await eventually(
      'only the differ group',
      async () => (await differ.isVisible()) && !(await wb.treeRow(RESULTS, /^= match/).isVisible()),
      20_000,
    );
    await wb.screenshot('ops-07-results-filtered');
    await wb.runCommand('Bucket Integrity: Filter by Outcome…');
    await wb.quickInput().locator('.monaco-list-row', { hasText: '* differ' }).first().waitFor({ state: 'visible' });
    await toggleQuickItems(others);
    await wb.page.keyboard.press('Enter');
    await eventually('every group again', () => wb.treeRow(RESULTS, /^= match/).isVisible(), 20_000);

    // Re-run (the run's inline action) adds a run with the same title.
    const rerun = async (expected: number): Promise<void> => {
      const run = runRows(title).first();
      await run.hover();
      await run.locator('.action-label[aria-label^="Re-run"]').first().click();
      await eventually(`${expected} runs of the compare`, async () => (await runRows(title).count()) === expected, 60_000);
    };
    await rerun(2);

    // A reload keeps the runs, and Re-run works on a run of the earlier window.
    await reloadWindow();
    await eventually('the runs back after the reload', async () => (await runRows(title).count()) === 2, 60_000);
    await wb.screenshot('ops-08-results-after-reload');
    await rerun(3);

    // A row opens the pair it stands for in a diff.
    await wb.treeRow(RESULTS, 'about.html').click();
    await eventually('the diff of about.html', () => wb.page.locator('.tab.active', { hasText: 'about.html' }).first().isVisible(), 30_000);
  });

  it('Compare with Bucket… from the tree, and Re-run of its run after a window reload', async function () {
    this.timeout(240_000);
    const profile = ctx.demo!.profiles.find((p) => p.buckets.includes(bucket))!;
    const other = profile.buckets.find((b) => b !== bucket)!;
    await wb.showContainer('Bucket Integrity');
    await expand(profile.name);
    await expand(bucket);
    await wb.contextMenu(wb.treeRow(BUCKETS, /^site/), 'Compare with Bucket…');
    await wb.pickQuickItem(profile.name);
    await wb.pickQuickItem(other);
    await wb.pickQuickItem('the same prefix');
    await goOnWithHeads();
    const title = new RegExp(`Compare cos://${bucket}/site/ ↔ cos://${other}/site/`);
    await eventually('the audit in the Results view', async () => (await runRows(title).count()) === 1, 90_000);

    await reloadWindow();
    await eventually('the audit back after the reload', async () => (await runRows(title).count()) === 1, 60_000);
    // Re-run of the earlier window's run: the same two places, compared again.
    const run = runRows(title).first();
    await run.hover();
    await run.locator('.action-label[aria-label^="Re-run"]').first().click();
    await goOnWithHeads();
    await eventually('the audit run again', async () => (await runRows(title).count()) === 2, 90_000);
    await wb.screenshot('ops-09-audit-rerun-after-reload');
  });
});
