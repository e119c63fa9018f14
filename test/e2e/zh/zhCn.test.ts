import * as assert from 'node:assert/strict';
import { eventually, uiContext, Workbench } from '../ui/workbench';

/**
 * The workbench with the display language zh-CN (scripts/e2e/run.js, phase `zh`): what a Chinese-speaking
 * user sees is the manifest's package.nls.zh-cn.json and the messages of l10n/bundle.l10n.zh-cn.json.
 */
describe('Simplified Chinese display language (UI)', () => {
  const ctx = uiContext();
  let wb: Workbench;

  before(async function () {
    this.timeout(240_000);
    wb = await Workbench.openForSuite(ctx, 'zh-cn');
    try {
      await wb.page
        .locator('.activitybar .action-item [aria-label*="Bucket Integrity"]')
        .first()
        .waitFor({ state: 'visible', timeout: 90_000 });
    } catch (err) {
      await wb.screenshot('zh-cn-failed-before').catch(() => undefined);
      throw err;
    }
  });

  after(async () => {
    await wb?.close();
  });

  afterEach(async function () {
    await wb.screenshotIfFailed(this.currentTest, 'zh-cn');
  });

  it('the command palette lists the commands under their Chinese titles', async () => {
    const input = wb.page.locator('.quick-input-widget input.input');
    const rows = wb.page.locator('.quick-input-widget .monaco-list-row');
    await eventually(
      'the palette',
      async () => {
        await wb.dismissQuickInput();
        await wb.page.keyboard.press('F1');
        await input.fill('>Bucket Integrity: ', { timeout: 3_000 }).catch(() => undefined);
        return rows.first().isVisible();
      },
      30_000,
    );
    for (const title of ['与远端比较', '添加连接配置…']) {
      await input.fill(`>Bucket Integrity: ${title}`);
      await eventually(`"${title}" in the palette`, () =>
        rows
          .filter({ hasText: `Bucket Integrity: ${title}` })
          .first()
          .isVisible(),
      );
    }
    await input.fill('>Bucket Integrity: 计算');
    await eventually('"计算 CRC64" in the palette', () => rows.filter({ hasText: '计算 CRC64' }).first().isVisible());
    await wb.screenshot('zh-cn-01-palette');
    await wb.dismissQuickInput();
  });

  it('the views are named in Chinese and a comparison report has Chinese headings', async () => {
    const row = await wb.revealInExplorer('site');
    await wb.contextMenu(row, '与远端比较', 'Bucket Integrity');
    const report = wb.page.locator('.monaco-editor', { hasText: 'Bucket Integrity — 与远端比较' }).first();
    await eventually('the report with its Chinese heading', () => report.isVisible(), 45_000);
    const text = ((await report.locator('.view-lines').first().textContent()) ?? '').replace(/\u00a0/g, ' ');
    assert.match(text, /本地:/);
    assert.match(text, /远端:/);
    assert.match(text, /不一致（大小或 CRC64）/);
    await wb.screenshot('zh-cn-02-report');
    await wb.showContainer('Bucket Integrity');
    await eventually('the Buckets view titled 存储桶', () =>
      wb.page.locator('.part.sidebar .pane-header', { hasText: '存储桶' }).first().isVisible(),
    );
  });

  it('the walkthrough shows its Chinese pages (media.markdown from package.nls.zh-cn.json)', async () => {
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickQuickItem(/开始使用 Bucket Integrity/);
    // The step's markdown is drawn in a webview: an iframe (in an iframe) of its own.
    const pageText = async (): Promise<string> => {
      const texts = await Promise.all(
        wb.page.frames().map((f) =>
          f
            .locator('body')
            .innerText({ timeout: 2_000 })
            .catch(() => ''),
        ),
      );
      return texts.join('\n');
    };
    await eventually(
      'the Chinese page of "添加连接配置"',
      async () => (await pageText()).includes('一个连接配置对应一个云上的一个账号'),
      45_000,
    );
    assert.doesNotMatch(await pageText(), /A profile names one account/);
    await wb.page.locator('.getting-started-step', { hasText: '将文件夹映射到存储桶' }).first().click();
    await eventually('the Chinese page of "将文件夹映射到存储桶"', async () => (await pageText()).includes('建立映射后'), 30_000);
    await wb.screenshot('zh-cn-03-walkthrough');
  });
});
