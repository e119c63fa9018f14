// Bundles the end-to-end tests and the demo seeding with esbuild, next to (not inside) the extension's
// own bundles: out/e2e/host/*.js run in the extension host, out/e2e/ui/*.js drive the workbench from
// Node, out/demo.js starts the emulator with the demo data.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const { ROOT, E2E_OUT } = require('./paths');

function listTs(dir) {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(abs, f));
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  // Resolved at run time: `vscode` from the editor, the rest from node_modules.
  external: ['vscode', 'mocha', 'playwright-core', 'cos-nodejs-sdk-v5', 'ali-oss'],
};

/** Builds the test bundles; the demo bundle only once the emulator it needs exists. */
async function buildE2e() {
  fs.rmSync(E2E_OUT, { recursive: true, force: true });
  const jobs = [
    esbuild.build({ ...common, entryPoints: listTs('test/e2e/host'), outdir: path.join(E2E_OUT, 'host') }),
    esbuild.build({ ...common, entryPoints: listTs('test/e2e/ui'), outdir: path.join(E2E_OUT, 'ui') }),
  ];
  await Promise.all(jobs);
  await buildDemo();
}

async function buildDemo() {
  if (!fs.existsSync(path.join(ROOT, 'test', 'emulator', 'index.ts'))) return false;
  await esbuild.build({
    ...common,
    external: ['vscode'],
    entryPoints: [path.join(ROOT, 'demo', 'seed.ts')],
    outfile: path.join(ROOT, 'out', 'demo.js'),
  });
  return true;
}

module.exports = { buildE2e, buildDemo };

if (require.main === module) {
  buildE2e().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
