// Copies a few screenshots of the last `npm run test:e2e` run into media/screenshots for the README,
// scaled down so the repository and the .vsix stay small:
//   npm run test:e2e && node scripts/e2e/readme-screenshots.js
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, SCREENSHOTS } = require('./paths');
const { findChromium } = require('./install');

/** README name ← screenshot taken by the UI tests. */
const PICKS = {
  'buckets-tree.png': 'buckets-03-compared-tree.png',
  'explorer-badges.png': 'buckets-04-compared-explorer.png',
  'compute-crc.png': '02-crc-from-palette.png',
  'upload-match.png': '05-uploaded-match.png',
  'results-view.png': 'ops-06-results-view.png',
  'delete-confirm.png': 'ops-01-delete-confirm.png',
};
const WIDTH = 960;
const HEIGHT = 600;

async function main() {
  const { chromium } = require('playwright-core');
  const out = path.join(ROOT, 'media', 'screenshots');
  fs.mkdirSync(out, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-shots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    viewport: { width: WIDTH, height: HEIGHT },
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    for (const [name, source] of Object.entries(PICKS)) {
      const file = path.join(SCREENSHOTS, source);
      if (!fs.existsSync(file)) {
        process.stderr.write(`missing ${path.relative(ROOT, file)}: run npm run test:e2e first\n`);
        process.exitCode = 1;
        continue;
      }
      const data = fs.readFileSync(file).toString('base64');
      await page.setContent(
        `<body style="margin:0"><img style="width:${WIDTH}px;height:${HEIGHT}px;display:block" src="data:image/png;base64,${data}"></body>`,
      );
      await page.locator('img').evaluate((img) => img.decode());
      await page.screenshot({ path: path.join(out, name) });
      process.stderr.write(`media/screenshots/${name} (${Math.round(fs.statSync(path.join(out, name)).size / 1024)} KB)\n`);
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
