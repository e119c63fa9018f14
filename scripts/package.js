// `npm run package`: the .vsix users install, packed offline with vsce. The shipped bundles (extension,
// hashing worker with its WASM kernel, CLI) are built minified with the options of esbuild.js into a
// staging folder, so packing never rewrites the development build in dist/. Everything the extension
// runs is bundled, so no node_modules folder goes in (`--no-dependencies`). Then the archive is checked:
// required files present, nothing from the source tree, under the size limit.
//   npm run package [-- --out FILE.vsix]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const MAX_BYTES = 5 * 1024 * 1024;
/** Bundles that ship; the others (emulator, bench, demo data) are development tools. */
const SHIPPED = ['dist/extension.js', 'dist/crc-worker.js', 'dist/inventory-worker.js', 'dist/cli.js'];
/** The manifest's strings (English and Simplified Chinese) and the messages' zh-CN bundle (docs/localisation.md). */
const L10N = ['package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json'];
const REQUIRED = ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'media/icon.png', ...SHIPPED, ...L10N];
const COPIED = ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media', ...L10N];

function log(msg) {
  process.stderr.write(`[package] ${msg}\n`);
}

/** Entry names of a zip file, read from its central directory (a .vsix is a zip). */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip archive`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

async function buildBundles(staging) {
  const esbuild = require('esbuild');
  const { common, entries } = require(path.join(ROOT, 'esbuild.js'));
  const shipped = entries.filter((e) => SHIPPED.includes(e.out));
  const missing = SHIPPED.filter((out) => !shipped.some((e) => e.out === out));
  if (missing.length) throw new Error(`esbuild.js has no entry for ${missing.join(', ')}`);
  await Promise.all(
    shipped.map((e) =>
      esbuild.build({
        ...common,
        ...(e.options || {}),
        absWorkingDir: ROOT,
        entryPoints: [e.in],
        outfile: path.join(staging, e.out),
        minify: true,
        sourcemap: false,
        logLevel: 'error',
      }),
    ),
  );
}

function stageManifest(staging) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  // The bundles are built already; the staged manifest needs no build scripts or development packages.
  delete pkg.scripts;
  delete pkg.devDependencies;
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  for (const f of COPIED) {
    const from = path.join(ROOT, f);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(staging, f), { recursive: true });
  }
  return pkg;
}

/** Builds and packs the .vsix; resolves to its path and size. */
async function packageVsix({ out } = {}) {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-package-'));
  try {
    log('building minified bundles');
    await buildBundles(staging);
    const pkg = stageManifest(staging);
    const vsix = path.resolve(out || path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`));
    log('packing with vsce');
    const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(
      process.execPath,
      [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix],
      { cwd: staging, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);

    const files = zipEntries(vsix)
      .filter((n) => n.startsWith('extension/'))
      .map((n) => n.slice('extension/'.length));
    const problems = [];
    for (const req of REQUIRED) if (!files.some((n) => n.toLowerCase() === req.toLowerCase())) problems.push(`missing ${req}`);
    for (const n of files) {
      if (/^(src|test|node_modules|scripts|\.cache|out|demo|bench)\//.test(n) || n.endsWith('.map') || n.endsWith('.ts'))
        problems.push(`should not ship ${n}`);
    }
    const size = fs.statSync(vsix).size;
    if (size > MAX_BYTES) problems.push(`${(size / 1048576).toFixed(2)} MB is over the ${MAX_BYTES / 1048576} MB limit`);
    log(`${path.relative(process.cwd(), vsix) || vsix}: ${(size / 1048576).toFixed(2)} MB, ${files.length} files: ${files.join(', ')}`);
    if (problems.length) throw new Error(`the package is not right:\n  ${problems.join('\n  ')}`);
    return { vsix, size, files };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

module.exports = { packageVsix, zipEntries };

if (require.main === module) {
  const i = process.argv.indexOf('--out');
  packageVsix({ out: i > 0 ? process.argv[i + 1] : undefined }).catch((err) => {
    log(err.message);
    process.exit(1);
  });
}
