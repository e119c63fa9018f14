import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { E2eContext } from '../host/context';

/** What scripts/e2e/run.js adds to the context for the UI phase. */
export interface UiContext extends E2eContext {
  serverUrl: string;
  serverPort: number;
  chromiumPath: string;
  browserRoot: string;
  extensionDevelopmentPath: string;
  screenshots: string;
}

export function uiContext(): UiContext {
  const file = process.env.BUCKET_INTEGRITY_E2E_CONTEXT;
  if (!file) throw new Error('BUCKET_INTEGRITY_E2E_CONTEXT is not set: run these tests through `npm run test:e2e`.');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as UiContext;
}

/** Polls `fn` until it returns a truthy value or the time is up. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Where the shared window is kept: on the global object, as each test file is bundled with its own copy
 * of this module.
 */
const SHARED = Symbol.for('bucket-integrity.e2e.shared-workbench');
const holder = globalThis as { [SHARED]?: Promise<Workbench> };

/**
 * The code-server workbench in headless Chromium, driven the way a person uses it: the palette (F1),
 * the Explorer's context menu, the side bar views and notifications.
 */
export class Workbench {
  private constructor(
    readonly ctx: UiContext,
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(ctx: UiContext = uiContext()): Promise<Workbench> {
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    const context = await chromium.launchPersistentContext(path.join(ctx.browserRoot, 'chromium-ui'), {
      executablePath: ctx.chromiumPath,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const remote = (p: string) => `vscode-remote://127.0.0.1:${ctx.serverPort}${p.split(path.sep).join('/')}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(ctx.extensionDevelopmentPath)]]);
    // A busy machine (two cores shared with other runs) can take longer than the default 30 s to load the workbench.
    await page.goto(`${ctx.serverUrl}?folder=${encodeURIComponent(ctx.workspace)}&payload=${encodeURIComponent(payload)}`, {
      timeout: 120_000,
    });
    const wb = new Workbench(ctx, context, page);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The Explorer lists the workspace once the remote file system is connected.
    await wb.explorerRow('site').waitFor({ state: 'visible', timeout: 60_000 });
    // The chat panel opens by default in this VS Code; it is not part of the product.
    if (
      await page
        .locator('.part.auxiliarybar')
        .isVisible()
        .catch(() => false)
    ) {
      await wb.runCommand('View: Close Secondary Side Bar').catch(() => wb.dismissQuickInput());
    }
    return wb;
  }

  /**
   * The phase's one window, opened on first use and shared by every UI test file: opening a workbench
   * (Chromium, the page, an extension host, activation) costs far more than any test, and a second
   * window open beside it halves the machine for both. `closeShared` ends it after the last file.
   */
  static shared(ctx: UiContext = uiContext()): Promise<Workbench> {
    holder[SHARED] ??= Workbench.open(ctx).catch((err: unknown) => {
      holder[SHARED] = undefined;
      throw err;
    });
    return holder[SHARED];
  }

  static async closeShared(): Promise<void> {
    const window = holder[SHARED];
    holder[SHARED] = undefined;
    await (await window?.catch(() => undefined))?.close();
  }

  /**
   * The shared window for a test file, put back to how a fresh window starts whatever the file before
   * left: no palette, menu, dialog or notification; no editor or panel; the Explorer shown with its
   * folders collapsed, and the Buckets view listed afresh and collapsed. What the extension holds (compare results, the
   * Results view's runs) is kept, as a person's window keeps it; a test that needs a clean slate clears
   * it as a person would.
   */
  static async forFile(ctx: UiContext = uiContext()): Promise<Workbench> {
    const wb = await Workbench.shared(ctx);
    await wb.reset();
    return wb;
  }

  private async reset(): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    const answerDialog = async (): Promise<void> => {
      if (!(await dialog.isVisible().catch(() => false))) return;
      // An unsaved editor asks on close: what a test typed is not kept. Any other modal is cancelled.
      await dialog
        .locator('.monaco-button', { hasText: /^(Don't Save|Cancel)$/ })
        .first()
        .click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    };
    await answerDialog();
    for (let i = 0; i < 2; i++) await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    await answerDialog();
    await this.clearNotifications();
    // Offered in the palette only while the panel shows.
    if (
      await this.page
        .locator('.part.panel')
        .isVisible()
        .catch(() => false)
    )
      await this.runCommand('View: Hide Panel');
    await this.showContainer('Bucket Integrity');
    const buckets = this.view('Buckets');
    if (await buckets.isVisible().catch(() => false)) {
      // The view's title actions show while the pointer is over its header. Refresh: a file may put
      // objects in the bucket before it starts, which a fresh window would list.
      await buckets.locator('.pane-header').hover();
      for (const action of ['Refresh Buckets', 'Collapse All'])
        await buckets
          .locator(`.action-label[aria-label^="${action}"]`)
          .first()
          .click({ timeout: 5_000 })
          .catch(() => undefined);
    }
    await this.runCommand('View: Show Explorer');
    await this.runCommand('Collapse Folders in Explorer').catch(() => this.dismissQuickInput());
    await this.explorerRow('site').waitFor({ state: 'visible', timeout: 30_000 });
    await this.page.mouse.move(900, 500);
  }

  /** A window of its own for one suite (its own Chromium profile under `browserRoot/<name>`). */
  static async openForSuite(ctx: UiContext, name: string): Promise<Workbench> {
    const browserRoot = path.join(ctx.browserRoot, name);
    fs.mkdirSync(browserRoot, { recursive: true });
    return Workbench.open({ ...ctx, browserRoot });
  }

  /** After a failed test: a screenshot named after it (a picture says more than the assertion). */
  async screenshotIfFailed(test: { state?: string; title: string } | undefined, prefix: string): Promise<void> {
    if (test?.state !== 'failed') return;
    await this.screenshot(`${prefix}-failed-${test.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }

  /** Saves a screenshot of the whole window under test-results/screenshots. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.ctx.screenshots, { recursive: true });
    const file = path.join(this.ctx.screenshots, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Opens the palette with F1 and runs the command with this exact title (e.g. "Bucket Integrity: Compute CRC-64"). */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    // F1 goes to whatever has focus; while a widget is closing the palette can be inert for a moment.
    // Retry from a clean state until the palette takes the text.
    await eventually(
      `the command palette for "${title}"`,
      async () => {
        await this.dismissQuickInput();
        await this.page.keyboard.press('F1');
        try {
          await input.fill(`>${title}`, { timeout: 3_000 });
          return true;
        } catch {
          await this.page.keyboard.press('Escape');
          await this.page
            .locator('.monaco-workbench .part.editor')
            .click({ position: { x: 20, y: 60 } })
            .catch(() => undefined);
          return false;
        }
      },
      30_000,
    );
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
  }

  /** Closes an open palette or quick pick, if any. */
  async dismissQuickInput(): Promise<void> {
    if (
      await this.page
        .locator('.quick-input-widget')
        .isVisible()
        .catch(() => false)
    )
      await this.page.keyboard.press('Escape');
  }

  /** The quick pick / input box currently shown. */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Waits for the input box showing `step` (its title or prompt), types into it and accepts it. */
  async answerInput(step: string, text: string, expectPassword = false): Promise<void> {
    const widget = this.page.locator('.quick-input-widget', { hasText: step });
    await widget.waitFor({ state: 'visible' });
    const input = widget.locator('input.input');
    if (expectPassword && (await input.getAttribute('type')) !== 'password')
      throw new Error(`"${step}": keys must be typed into a password box`);
    await input.fill(text);
    await this.page.keyboard.press('Enter');
    // The same widget shows the next step: wait until this one is gone.
    await eventually(`"${step}" accepted`, async () => !(await this.page.locator('.quick-input-widget', { hasText: step }).isVisible()));
  }

  /** Picks the quick-pick entry whose label contains `label`. */
  async pickQuickItem(label: string | RegExp): Promise<void> {
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
  }

  /** Opens a view container of the side bar from its activity-bar icon (aria label starting with `title`), unless it is open. */
  async showContainer(title: string): Promise<void> {
    const icon = this.page.locator(`.part.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    const header = this.page.locator('.part.sidebar .composite.title', { hasText: title });
    if (!(await header.isVisible().catch(() => false))) await icon.click();
    await header.waitFor({ state: 'visible' });
  }

  /** A row of the Explorer tree, by its file or folder name. */
  explorerRow(name: string): Locator {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first();
  }

  /** Expands the Explorer folders along a workspace-relative path and returns the row of its last part. */
  async revealInExplorer(relativePath: string): Promise<Locator> {
    if (!(await this.page.locator('.explorer-folders-view').isVisible())) await this.runCommand('View: Show Explorer');
    const parts = relativePath.split('/');
    let row = this.explorerRow(parts[0]);
    for (let i = 0; i < parts.length; i++) {
      row = this.explorerRow(parts[i]);
      await row.waitFor({ state: 'visible' });
      if (i < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') await row.click();
    }
    return row;
  }

  /**
   * Right-clicks a row and picks an entry of its context menu; with `submenu`, the entry of that submenu
   * (opened as a person does: pointing at it, then the arrow key).
   */
  async contextMenu(row: Locator, item: string, submenu?: string): Promise<void> {
    await this.dismissQuickInput();
    const entry = this.page.locator('.monaco-menu .action-item', { hasText: submenu ?? item }).first();
    const menu = this.page.locator('.context-view .monaco-menu').first();
    // A right-click during a re-render of the list can miss, and a busy window draws the menu late:
    // look for the entry first, close a menu that lacks it, and right-click again.
    await eventually(
      `the context menu entry "${item}"`,
      async () => {
        if (await entry.isVisible()) return true;
        if (await menu.isVisible()) {
          await this.page.keyboard.press('Escape');
          await menu.waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
        }
        await row.click({ button: 'right', timeout: 5_000 }).catch(() => undefined);
        return entry.waitFor({ state: 'visible', timeout: 5_000 }).then(
          () => true,
          () => false,
        );
      },
      45_000,
    );
    // Pointing at an entry focuses it and Enter runs it; a click that comes right after the menu opened
    // can be taken for the end of the right-click and ignored, so the click is only the fallback.
    await entry.hover();
    if (submenu) {
      const inner = this.page.locator('.monaco-submenu .action-item', { hasText: item }).first();
      await eventually(
        `the submenu entry "${item}"`,
        async () => {
          if (!(await inner.isVisible())) await this.page.keyboard.press('ArrowRight');
          return inner.waitFor({ state: 'visible', timeout: 3_000 }).then(
            () => true,
            () => false,
          );
        },
        15_000,
      );
      await inner.hover();
      await this.page.keyboard.press('Enter');
      if (
        !(await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(
          () => true,
          () => false,
        ))
      )
        await inner.click().catch(() => undefined);
      return;
    }
    await this.page.keyboard.press('Enter');
    if (
      !(await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      await entry.click();
      await menu.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }

  /** A notification whose message matches: a toast, or an entry of the open notification centre. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast, .notifications-center .notification-list-item', { hasText: text }).first();
  }

  /**
   * Waits for a notification. This headless window does not pop toasts up; the message lands in the
   * notification centre (the bell), so the centre is opened, as a person would click the bell.
   */
  async waitForNotification(text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
    const found = this.notification(text);
    await eventually(
      `a notification matching ${String(text)}`,
      async () => {
        if (await found.isVisible()) return true;
        if (
          !(await this.page
            .locator('.notifications-center.visible')
            .isVisible()
            .catch(() => false))
        ) {
          await this.runCommand('Notifications: Show Notifications');
        }
        return found.isVisible();
      },
      timeoutMs,
    );
    return found;
  }

  /** Clears every notification and closes the centre. */
  async clearNotifications(): Promise<void> {
    // Clearing the last notification also closes the centre.
    await this.runCommand('Notifications: Clear All Notifications').catch(() => this.dismissQuickInput());
  }

  /** The badge letters drawn on a row (file decorations are CSS `::after` content). */
  async badges(row: Locator): Promise<string[]> {
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

  /** A row of a tree view (by its aria label, which holds the label and description). */
  treeRow(viewTitle: string, label: string | RegExp): Locator {
    return this.view(viewTitle).locator('.monaco-list-row', { hasText: label }).first();
  }

  /** The pane of a view in the side bar, by its title. */
  view(title: string): Locator {
    return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) }).first();
  }
}
