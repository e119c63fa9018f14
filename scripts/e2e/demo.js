// The demo data for `npm start` and the end-to-end tests: starts the emulator (in this process) seeded
// by demo/seed.ts (bundled to dist/demo-seed.js by esbuild.js), and prepares a copy of the demo
// workspace whose settings point at that emulator.
const fs = require('node:fs');
const path = require('node:path');
const { MissingPrerequisiteError } = require('./install');
const { ROOT } = require('./paths');

const DEMO_BUNDLE = path.join(ROOT, 'dist', 'demo-seed.js');

/** Throws a `MissingPrerequisiteError` naming the fix when the demo data bundle is not built. */
function requireDemoBundle(bundle = DEMO_BUNDLE) {
  if (!fs.existsSync(bundle)) {
    throw new MissingPrerequisiteError(
      `the demo data bundle ${path.relative(ROOT, bundle)} is missing: run \`npm run build\` (or leave out --no-build) first`,
    );
  }
}

/**
 * Starts the emulator with the demo data. Resolves to `{ manifest, emulatorInfo, close() }`. A missing demo
 * bundle is an error, never a quiet null: a test run without its data would test nothing and pass.
 * @param {{ port?: number, dataDir?: string, workspace?: string, bundle?: string }} opts
 */
async function startDemoServer(opts = {}) {
  const { bundle = DEMO_BUNDLE, ...rest } = opts;
  requireDemoBundle(bundle);
  delete require.cache[bundle];
  const { startDemo } = require(bundle);
  return startDemo({ workspace: path.join(ROOT, 'demo', 'workspace'), ...rest });
}

function copyDir(src, dest) {
  fs.mkdirSync(dest, { recursive: true });
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, entry.name);
    const to = path.join(dest, entry.name);
    if (entry.isDirectory()) copyDir(from, to);
    else if (entry.isFile()) fs.copyFileSync(from, to);
  }
}

/**
 * Copies the demo workspace to `dest` (tests write into it) and writes its `.vscode/settings.json` with
 * the profiles and mappings of the running demo. Returns `dest`.
 */
function prepareWorkspace(src, dest, manifest) {
  fs.rmSync(dest, { recursive: true, force: true });
  copyDir(src, dest);
  if (manifest && manifest.settings) writeSettings(dest, manifest.settings);
  return dest;
}

function writeSettings(workspace, settings) {
  const dir = path.join(workspace, '.vscode');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

module.exports = { requireDemoBundle, startDemoServer, prepareWorkspace, writeSettings, DEMO_BUNDLE };
