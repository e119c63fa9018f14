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

/**
 * Builds the test bundles into `outDir` (the demo data bundle, dist/demo-seed.js, comes from esbuild.js).
 * Each run builds into its own folder under out/e2e, so runs side by side never delete each other's tests;
 * it stays inside the repository so `mocha`, the SDKs and playwright-core resolve from node_modules.
 */
async function buildE2e(outDir = path.join(E2E_OUT, 'manual')) {
  fs.rmSync(outDir, { recursive: true, force: true });
  await Promise.all([
    esbuild.build({ ...common, entryPoints: listTs('test/e2e/host'), outdir: path.join(outDir, 'host') }),
    esbuild.build({ ...common, entryPoints: listTs('test/e2e/ui'), outdir: path.join(outDir, 'ui') }),
    esbuild.build({ ...common, entryPoints: listTs('test/e2e/zh'), outdir: path.join(outDir, 'zh') }),
    // The secrets sweep the runner applies after each phase.
    esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'test', 'support', 'secretSweep.ts')], outdir: path.join(outDir, 'support') }),
  ]);
  return outDir;
}

/** A fresh per-run output folder, removed by the returned function. */
function runOutDir() {
  const dir = path.join(E2E_OUT, `run-${process.pid}-${Date.now().toString(36)}`);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { buildE2e, runOutDir };

if (require.main === module) {
  buildE2e().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
