// `npm run test:electron`: the same extension-host tests (test/e2e/host) under the standard runner,
// `@vscode/test-electron`, for contributors with a desktop VS Code. Uses the VS Code named by
// VSCODE_EXECUTABLE_PATH or found in the usual install places; `--download` lets the runner download one
// (needs access to Microsoft's update server). Without either it says so and skips (exit 0).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, DEMO_WORKSPACE, SCREENSHOTS } = require('./paths');
const { buildE2e, runOutDir } = require('./build');
const { startDemoServer, prepareWorkspace } = require('./demo');
const { log } = require('./install');

const CANDIDATES = [
  '/usr/share/code/code',
  '/usr/share/code-insiders/code-insiders',
  '/opt/visual-studio-code/code',
  '/snap/code/current/usr/share/code/code',
  '/Applications/Visual Studio Code.app/Contents/MacOS/Electron',
  'C:\\Program Files\\Microsoft VS Code\\Code.exe',
  path.join(os.homedir(), 'AppData', 'Local', 'Programs', 'Microsoft VS Code', 'Code.exe'),
];

/** The desktop VS Code executable (Electron binary), or undefined. */
function findVsCode() {
  const fromEnv = process.env.VSCODE_EXECUTABLE_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`VSCODE_EXECUTABLE_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  return CANDIDATES.find((p) => fs.existsSync(p));
}

async function main() {
  const download = process.argv.includes('--download');
  const vscodeExecutablePath = findVsCode();
  if (!vscodeExecutablePath && !download) {
    log('skipped: no desktop VS Code here (set VSCODE_EXECUTABLE_PATH, or pass --download where the VS Code update server is reachable).');
    log('`npm run test:e2e` runs the same tests in code-server.');
    return 0;
  }
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) return 1;
  const out = runOutDir();
  await buildE2e(out.dir);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-electron-'));
  const demo = await startDemoServer({ dataDir: path.join(root, 'emulator'), port: 0 });
  try {
    const workspace = prepareWorkspace(DEMO_WORKSPACE, path.join(root, 'workspace'), demo.manifest);
    const contextFile = path.join(root, 'context.json');
    fs.writeFileSync(
      contextFile,
      JSON.stringify({
        workspace,
        userSettingsFile: path.join(root, 'user-data', 'User', 'settings.json'),
        resultsFile: path.join(root, 'results.json'),
        metricsFile: path.join(root, 'metrics.json'),
        vectorsPath: path.resolve(ROOT, 'test', 'fixtures', 'crc64', 'crc64-vectors.json'),
        screenshots: SCREENSHOTS,
        emulator: demo.emulatorInfo,
        demo: demo.manifest,
      }),
    );
    // The demo profiles are user settings: profiles are never read from a workspace.
    const userData = path.join(root, 'user-data');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(demo.manifest.userSettings ?? {}, null, 2));
    const { runTests } = require('@vscode/test-electron');
    await runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(out.dir, 'host', 'index.js'),
      extensionTestsEnv: { BUCKET_INTEGRITY_E2E_CONTEXT: contextFile, ...(demo.manifest.env ?? {}) },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userData],
    });
    const metrics = fs.existsSync(path.join(root, 'metrics.json'))
      ? JSON.parse(fs.readFileSync(path.join(root, 'metrics.json'), 'utf8'))
      : {};
    if (metrics.activationMs !== undefined) log(`activation (desktop VS Code, development build): ${metrics.activationMs} ms`);
    return 0;
  } catch (err) {
    log(`extension tests failed: ${err && err.message ? err.message : err}`);
    return 1;
  } finally {
    await demo.close();
    fs.rmSync(root, { recursive: true, force: true });
    out.remove();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    log(String(err && err.stack ? err.stack : err));
    process.exitCode = 1;
  },
);
