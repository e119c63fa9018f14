// `npm start`: the demo. Builds, starts the local COS + OSS emulator with the demo data, installs the
// packed extension into code-server (a real VS Code in the browser, installed into .cache/ on first use)
// and opens a copy of demo/workspace in it; prints the URL. With a desktop `code` on the PATH, opens it
// there too.
// Ctrl+C stops everything this script started.
//   npm start -- [--port N] (code-server's port)  [--emulator-port N] (default 48080)  [--no-desktop]
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, CACHE, DEMO_WORKSPACE } = require('./e2e/paths');
const { ensureCodeServer, MissingPrerequisiteError, log, setLogPrefix } = require('./e2e/install');
const { freePort, startCodeServer } = require('./e2e/code-server');
const { startDemoServer, prepareWorkspace } = require('./e2e/demo');
const { packageVsix } = require('./package');

const DEMO_PORT = 48080;
setLogPrefix('demo');
const args = process.argv.slice(2);
function option(name) {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
}

const stops = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  while (stops.length) {
    try {
      await stops.pop()();
    } catch (err) {
      log(`while stopping: ${err.message}`);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function portIsFree(port) {
  const net = require('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function main() {
  const tools = ensureCodeServer();
  const home = path.join(CACHE, 'demo');
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(home, { recursive: true });
  log('building…');
  const built = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) throw new Error('the build failed');
  // What a user installs: the minified .vsix.
  const { vsix } = await packageVsix({ out: path.join(home, 'bucket-integrity.vsix') });

  // The emulator on the port the committed demo settings name, unless it is taken.
  let emulatorPort = option('--emulator-port') ?? DEMO_PORT;
  if (!(await portIsFree(emulatorPort))) {
    const other = await freePort();
    log(`port ${emulatorPort} is in use; the emulator uses ${other}`);
    emulatorPort = other;
  }
  const demo = await startDemoServer({ port: emulatorPort, dataDir: path.join(home, 'emulator') });
  if (!demo) throw new Error('dist/demo-seed.js is missing after the build');
  stops.push(() => demo.close());
  const workspace = prepareWorkspace(DEMO_WORKSPACE, path.join(home, 'workspace'), demo.manifest);

  const extensionsDir = path.join(home, 'extensions');
  const install = spawnSync(tools.node.nodeBin, [tools.entry, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (install.status !== 0) throw new Error(`installing ${path.basename(vsix)} into code-server failed`);

  const port = option('--port') ?? (await freePort());
  const server = await startCodeServer({
    entry: tools.entry,
    nodeBin: tools.node.nodeBin,
    root: path.join(home, 'code-server'),
    extensionsDir,
    port,
    env: demo.manifest.env,
    // The demo profiles are user settings: profiles are never read from a workspace.
    userSettings: { ...demo.manifest.userSettings, 'workbench.startupEditor': 'readme' },
  });
  stops.push(() => server.stop());

  const url = `${server.url}?folder=${encodeURIComponent(workspace)}`;
  const line = '─'.repeat(72);
  process.stdout.write(
    `\n${line}\n  Bucket Integrity demo\n\n` +
      `  Open in a browser:  ${url}\n\n` +
      `  Emulator:           ${demo.manifest.endpoint} (COS and OSS, demo data)\n` +
      `  Profiles:           ${demo.manifest.profiles.map((p) => `${p.name} (${p.buckets.join(', ')})`).join('; ')}\n` +
      `  Workspace:          ${workspace}\n\n` +
      `  Ctrl+C stops the emulator and code-server.\n${line}\n\n`,
  );

  if (!args.includes('--no-desktop')) openDesktop(workspace, demo.manifest, path.join(home, 'desktop-user-data'));

  await new Promise(() => undefined);
}

/**
 * A desktop VS Code, when its `code` command is on the PATH, with this folder as a development extension,
 * in a user-data folder of its own whose user settings hold the demo profiles (yours are left alone).
 */
function openDesktop(workspace, manifest, userData) {
  const which = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['code'], { encoding: 'utf8' });
  if (which.status !== 0) return;
  log('opening the demo in desktop VS Code too (`code` is on the PATH)');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(manifest.userSettings, null, 2));
  const child = spawn('code', ['--new-window', `--user-data-dir=${userData}`, `--extensionDevelopmentPath=${ROOT}`, workspace], {
    env: { ...process.env, ...manifest.env },
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
}

main().catch((err) => {
  log(err instanceof MissingPrerequisiteError ? err.message : String(err && err.stack ? err.stack : err));
  void stopAll(1);
});
