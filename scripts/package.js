// `npm run package`: packs the .vsix with vsce, offline (vsce runs `vscode:prepublish`, the minified
// production build). Everything the extension runs is bundled by esbuild, so no node_modules folder goes
// in (`--no-dependencies`). Then checks the archive: required files present, nothing from the source
// tree, under the size limit.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const MAX_BYTES = 5 * 1024 * 1024;
const REQUIRED = ['extension/package.json', 'extension/dist/extension.js', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/media/icon.png'];
/** Present when the engine bundles them; then they must ship. */
const REQUIRED_IF_BUILT = ['dist/crc-worker.js'];

function step(what, cmd, args) {
  process.stderr.write(`[package] ${what}\n`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write(`[package] ${what} failed (exit ${r.status})\n`);
    process.exit(r.status || 1);
  }
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

function main() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const out = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  step('packing with vsce', process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);

  const names = zipEntries(out);
  const problems = [];
  for (const r of REQUIRED) if (!names.some((n) => n.toLowerCase() === r.toLowerCase())) problems.push(`missing ${r}`);
  for (const r of REQUIRED_IF_BUILT) {
    if (fs.existsSync(path.join(ROOT, r)) && !names.includes(`extension/${r}`)) problems.push(`missing ${r}`);
  }
  for (const n of names) {
    if (/^extension\/(src|test|node_modules|scripts|\.cache|out)\//.test(n) || n.endsWith('.map')) problems.push(`should not ship ${n}`);
  }
  const size = fs.statSync(out).size;
  if (size > MAX_BYTES) problems.push(`${(size / 1048576).toFixed(2)} MB is over the ${MAX_BYTES / 1048576} MB limit`);
  const files = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
  process.stderr.write(`[package] ${path.basename(out)}: ${(size / 1048576).toFixed(2)} MB, ${files.length} files: ${files.join(', ')}\n`);
  if (problems.length) {
    process.stderr.write(`[package] the package is not right:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
}

main();
