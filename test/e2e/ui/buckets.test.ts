import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { EmulatorClient } from './emulatorClient';
import { requireDemo } from '../host/context';
import { eventually, uiContext, Workbench } from './workbench';

/**
 * The Buckets view as a person uses it: expand profiles, buckets and folders, page a large folder with
 * "Load more…", compare a folder from its context menu, and see the badges in the tree and the Explorer.
 */
const ctx = uiContext();
const VIEW = 'Buckets';
let wb: Workbench;

/** The badge letters drawn on a row (file decorations are CSS `::after` content). */
async function badgesOf(row: Locator): Promise<string[]> {
  return row.evaluate((el) =>
    [...el.querySelectorAll('*')]
      .map(
        (e) =>
          (globalThis as unknown as { getComputedStyle(e: unknown, pseudo: string): { content: string } }).getComputedStyle(e, '::after')
            .content,
      )
      .filter((c) => c && c !== 'none' && c !== 'normal')
      .map((c) => c.replace(/^"|"$/g, '')),
  );
}

async function expand(label: string | RegExp): Promise<Locator> {
  const row = wb.treeRow(VIEW, label);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  return row;
}

/** Opens the Bucket Integrity container from its activity-bar icon. */
async function showView(): Promise<void> {
  await wb.showContainer('Bucket Integrity');
}

/**
 * Runs a context-menu entry with the keyboard, as a person can: a mouse click on a menu that is still
 * being laid out is sometimes held back for seconds by the page.
 */
async function menu(row: Locator, item: string): Promise<void> {
  await row.click({ button: 'right' });
  const open = wb.page.locator('.context-view .monaco-menu').first();
  await open.waitFor({ state: 'visible' });
  for (let i = 0; i < 20; i++) {
    await wb.page.keyboard.press('ArrowDown');
    const focused = wb.page.locator('.context-view .monaco-menu .action-item.focused', { hasText: item });
    if (await focused.isVisible().catch(() => false)) {
      await wb.page.keyboard.press('Enter');
      await open.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    }
  }
  await wb.page.keyboard.press('Escape');
  throw new Error(`no context menu entry "${item}"`);
}

/** The view's "Collapse All" title button. */
async function collapseAll(): Promise<void> {
  const button = wb.page.locator('.part.sidebar .action-label[aria-label^="Collapse All"]').first();
  if (await button.isVisible().catch(() => false)) await button.click();
}

describe('Buckets view (UI)', function () {
  before(async function () {
    this.timeout(120_000);
    requireDemo(ctx);
    wb = await Workbench.forFile(ctx);
  });

  afterEach(async function () {
    await wb?.screenshotIfFailed(this.currentTest, 'buckets');
  });

  it('shows profiles, buckets, folders and objects, with badges for objects not compared yet', async () => {
    await showView();
    await expand('Demo COS');
    const site = ctx.demo!.objects[0].bucket;
    await expand(site);
    await expand(/^site/);
    const index = wb.treeRow(VIEW, 'index.html');
    await index.waitFor({ state: 'visible', timeout: 30_000 });
    await eventually('the "not compared" badge on index.html', async () => (await badgesOf(index)).includes('?'));
    await wb.screenshot('buckets-01-tree');
    // The tooltip lists the object's facts; its CRC-64 comes from a HEAD when the pointer rests on it.
    await index.hover();
    const hover = wb.page.locator('.monaco-hover', { hasText: /CRC-64: \d+/ }).first();
    await eventually('the object tooltip with its CRC-64', () => hover.isVisible(), 20_000);
    const text = (await hover.textContent()) ?? '';
    for (const field of ['Key: site/index.html', 'Size:', 'Last modified:', 'Storage class:', 'ETag:'])
      assert.ok(text.includes(field), `${field} missing in: ${text}`);
    await wb.screenshot('buckets-01b-tooltip');
    await wb.page.mouse.move(700, 400);
  });

  it('pages a folder larger than a page with "Load more…"', async () => {
    const big = ctx.demo!.bigFolder;
    for (const part of big.prefix.split('/').filter(Boolean)) await expand(new RegExp(`^${part}`));
    // The list is virtual: scroll to its end so the last row is drawn.
    const more = wb.treeRow(VIEW, 'Load more…');
    // A tooltip left open by the pointer would take the wheel events: close it, then scroll the list.
    await wb.page.keyboard.press('Escape');
    await wb
      .view(VIEW)
      .locator('.monaco-list')
      .first()
      .hover({ force: true, position: { x: 12, y: 12 } });
    await eventually(
      'the "Load more…" row',
      async () => {
        await wb.page.mouse.wheel(0, 4000);
        return more.isVisible();
      },
      30_000,
    );
    assert.match((await more.textContent()) ?? '', /100 shown/);
    await more.click();
    // The click left the focus in the tree: End goes to its last row, the new "Load more…".
    await eventually(
      'the second page',
      async () => {
        await wb.page.keyboard.press('End');
        return /200 shown/.test(
          (await wb
            .treeRow(VIEW, 'Load more…')
            .textContent()
            .catch(() => '')) ?? '',
        );
      },
      30_000,
    );
    await wb.screenshot('buckets-02-load-more');
    await collapseAll();
  });

  it('compares a folder from its context menu: a report, and badges in the tree and the Explorer', async () => {
    await showView();
    await collapseAll();
    await expand('Demo COS');
    await expand(ctx.demo!.objects[0].bucket);
    const folder = wb.treeRow(VIEW, /^site/);
    await folder.waitFor({ state: 'visible' });
    await menu(folder, 'Compare with Local');
    await eventually(
      'the report',
      () => wb.page.locator('.monaco-editor', { hasText: 'Bucket Integrity — Compare with Local' }).first().isVisible(),
      30_000,
    );
    await showView();
    await expand(/^site/);
    const about = wb.treeRow(VIEW, 'about.html');
    await eventually('the mismatch badge on about.html in the tree', async () => (await badgesOf(about)).includes('X'));
    await eventually('the match badge on index.html in the tree', async () =>
      (await badgesOf(wb.treeRow(VIEW, 'index.html'))).includes('V'),
    );
    await eventually('the mismatch roll-up on the folder', async () => (await badgesOf(folder)).includes('X'));
    await wb.screenshot('buckets-03-compared-tree');
    const local = await wb.revealInExplorer('site/about.html');
    await eventually('the mismatch badge on site/about.html in the Explorer', async () => (await badgesOf(local)).includes('X'));
    await eventually('the match badge on site/index.html in the Explorer', async () =>
      (await badgesOf(wb.explorerRow('index.html'))).includes('V'),
    );
    await wb.screenshot('buckets-04-compared-explorer');
  });

  it('compares a file from the Explorer context menu and says what differs', async () => {
    const row = await wb.revealInExplorer('site/about.html');
    await wb.contextMenu(row, 'Compare with Remote', 'Bucket Integrity');
    // A toast, or (when toasts are held back) an entry in the notification center.
    const message = /about\.html: MISMATCH — CRC-64 differs/;
    await eventually(
      'the mismatch message',
      async () => {
        if (await wb.notification(message).isVisible()) return true;
        await wb.runCommand('Notifications: Show Notifications');
        return wb.page.locator('.notifications-center', { hasText: message }).first().isVisible();
      },
      30_000,
    );
    await wb.page.keyboard.press('Escape');
    await eventually('the mismatch badge on about.html', async () => (await badgesOf(wb.explorerRow('about.html'))).includes('X'));
    await wb.screenshot('buckets-05-compare-file');
    await wb.clearNotifications();
  });

  it('re-checks a mapped file when it is saved', async () => {
    await wb.runCommand('Go to File...');
    await wb.quickInput().locator('input.input').fill('styles.css');
    await wb.pickQuickItem('styles.css');
    await wb.page.locator('.tab.active', { hasText: 'styles.css' }).waitFor({ state: 'visible' });
    await wb.page.locator('.monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type('/* edited */');
    await wb.page.keyboard.press('Control+S');
    await wb.revealInExplorer('site/styles.css');
    await eventually('the mismatch badge after the save', async () => (await badgesOf(wb.explorerRow('styles.css'))).includes('X'), 30_000);
    await wb.screenshot('buckets-06-saved-mismatch');
    // Remove the added line's text and save again: the same bytes as the object, so it matches again.
    await wb.page.locator('.monaco-editor .view-lines').first().click();
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.press('Shift+Home');
    await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.press('Control+S');
    await eventually(
      'the match badge after saving the original',
      async () => (await badgesOf(wb.explorerRow('styles.css'))).includes('V'),
      30_000,
    );
  });

  it('re-checks compared objects when their folder is refreshed', async () => {
    const target = ctx.demo!.objects.find((o) => o.expected === 'match' && o.key === 'site/index.html')!;
    const original = fs.readFileSync(path.join(ctx.workspace, target.localPath!));
    const emu = new EmulatorClient(ctx);
    await showView();
    await collapseAll();
    await expand('Demo COS');
    await expand(target.bucket);
    const folder = wb.treeRow(VIEW, /^site/);
    await folder.waitFor({ state: 'visible' });
    await menu(folder, 'Compare with Local');
    await showView();
    await expand(/^site/);
    const index = wb.treeRow(VIEW, 'index.html');
    await eventually('the match badge on index.html', async () => (await badgesOf(index)).includes('V'), 30_000);
    try {
      // Someone changes the object behind our back; a refresh of its folder notices.
      await emu.putObject(target.bucket, target.key, Buffer.concat([original, Buffer.from('<!-- changed -->\n')]));
      await folder.hover();
      await folder.locator('.action-label[aria-label^="Refresh"]').first().click();
      await eventually(
        'the mismatch badge after the refresh',
        async () => (await badgesOf(wb.treeRow(VIEW, 'index.html'))).includes('X'),
        30_000,
      );
      await wb.screenshot('buckets-07-refreshed-mismatch');
    } finally {
      await emu.putObject(target.bucket, target.key, original);
    }
  });

  it('shows an unreachable endpoint as an error node with a retry, not a failure', async () => {
    // Profiles live in the user settings (a workspace cannot define one): added the way a person does.
    await wb.runCommand('Bucket Integrity: Add Profile…');
    await wb.pickQuickItem('Tencent Cloud COS');
    await wb.answerInput('Add Profile (2/4)', 'Unreachable');
    await wb.answerInput('Add Profile (3/4)', 'ap-guangzhou');
    await wb.answerInput('Add Profile (4/4)', 'http://127.0.0.1:9');
    await wb.pickQuickItem('Use environment variables');
    try {
      await showView();
      await collapseAll();
      await expand('Unreachable');
      const error = wb
        .view(VIEW)
        .locator('.monaco-list-row', { has: wb.page.locator('.codicon-error') })
        .first();
      await eventually('the error node', () => error.isVisible(), 60_000);
      await wb.screenshot('buckets-08-error-node');
      assert.ok(((await error.textContent()) ?? '').length > 0);
    } finally {
      await wb.runCommand('Bucket Integrity: Remove Profile…');
      await wb.pickQuickItem('Unreachable');
      await wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Remove' }).first().click();
    }
    await eventually('the profile gone from the view', async () => !(await wb.treeRow(VIEW, 'Unreachable').isVisible()), 30_000);
  });

  it('filters a large folder by prefix and clears the filter', async () => {
    const big = ctx.demo!.bigFolder;
    await showView();
    await collapseAll();
    await expand('Demo COS');
    await expand(big.bucket);
    let folder: Locator | undefined;
    for (const part of big.prefix.split('/').filter(Boolean)) folder = await expand(new RegExp(`^${part}`));
    await folder!.hover();
    await folder!.locator('.action-label[aria-label^="Filter by Prefix"]').first().click();
    const input = wb.quickInput().locator('input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill('access-105');
    await wb.page.keyboard.press('Enter');
    await eventually('the filter on the folder', async () => /filter: access-105\*/.test((await folder!.textContent()) ?? ''), 30_000);
    await eventually(
      'only access-1050.log listed',
      async () => (await wb.treeRow(VIEW, 'access-1050.log').isVisible()) && !(await wb.treeRow(VIEW, 'access-0001.log').isVisible()),
      30_000,
    );
    await wb.screenshot('buckets-09-filtered');
    await folder!.hover();
    await folder!.locator('.action-label[aria-label^="Clear Filter"]').first().click();
    await eventually('the whole folder again', () => wb.treeRow(VIEW, 'access-0001.log').isVisible(), 30_000);
  });
});
