// Bundles the end-to-end tests with esbuild, next to (not inside) the extension's own bundles:
// out/e2e/host/*.js run in the extension host, out/e2e/ui/*.js drive the workbench from Node.
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

/** The engine's WebAssembly kernel is assembled from .wat at build time by the same plugin as the extension. */
function plugins() {
  const wat = path.join(ROOT, 'scripts', 'build', 'wat.js');
  return fs.existsSync(wat) ? [require(wat).esbuildWatPlugin] : [];
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
  plugins: plugins(),
};

/** Builds the test bundles (the demo data bundle, dist/demo-seed.js, comes from esbuild.js). */
async function buildE2e() {
  fs.rmSync(E2E_OUT, { recursive: true, force: true });
  await Promise.all([
    esbuild.build({ ...common, entryPoints: listTs('test/e2e/host'), outdir: path.join(E2E_OUT, 'host') }),
    esbuild.build({ ...common, entryPoints: listTs('test/e2e/ui'), outdir: path.join(E2E_OUT, 'ui') }),
  ]);
}

module.exports = { buildE2e };

if (require.main === module) {
  buildE2e().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
