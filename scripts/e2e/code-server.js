// Starts code-server (a real VS Code 1.139 with a Node extension host) and opens its workbench in a
// headless Chromium driven by playwright-core. code-server has no --extensionDevelopmentPath flag, so
// extensions under development and test entry points are passed as a URL payload, which the workbench
// honours only with the smoke-test driver enabled.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { spawn } = require('node:child_process');
const { log } = require('./install');

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A private temp root for one code-server + Chromium run. code-server's IPC sockets, config, data and
 * the browser profile all live under it, so cleaning up never touches anyone else's files.
 */
function makeRunRoot(label) {
  // Short prefix: Unix socket paths must stay under ~107 bytes.
  return fs.mkdtempSync(path.join(os.tmpdir(), `bi-${label}-`));
}

function removeQuietly(p) {
  try {
    fs.rmSync(p, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    /* best effort: a leftover temp folder is harmless */
  }
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

/**
 * Starts code-server and resolves once it listens.
 * @param {{entry: string, nodeBin: string, root: string, extensionsDir?: string, env?: NodeJS.ProcessEnv,
 *   quiet?: boolean, port?: number, userSettings?: Record<string, unknown>, workspaceTrust?: boolean}} opts
 *   workspaceTrust: keep Workspace Trust on (folders open in Restricted Mode, no startup prompt)
 *   locale: the display language (e.g. 'zh-cn'), with an empty language pack declared for it
 */
/**
 * VS Code switches its display language (and with it `vscode.env.language`, the `package.nls.<locale>.json`
 * it reads and the extension's `l10n/bundle.l10n.<locale>.json`) only when a language pack for the locale
 * is installed: `--locale` alone falls back to English. The Marketplace's pack cannot be fetched here, so
 * the run declares an empty one in `languagepacks.json` (what VS Code writes when a pack is installed):
 * VS Code's own strings stay English, the extension's are in the locale.
 */
function declareLanguagePack(userData, locale) {
  const translations = path.join(userData, `empty-language-pack.${locale}.json`);
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const pack = {
    hash: `empty-${locale}`,
    extensions: [{ extensionIdentifier: { id: `bucket-integrity-tests.empty-language-pack-${locale}` }, version: '1.0.0' }],
    translations: { vscode: translations },
    label: locale,
  };
  fs.writeFileSync(path.join(userData, 'languagepacks.json'), JSON.stringify({ [locale]: pack }, null, 2));
}

async function startCodeServer(opts) {
  const port = opts.port || (await freePort());
  const root = opts.root;
  const dirs = {
    userData: path.join(root, 'user-data'),
    extensions: opts.extensionsDir || path.join(root, 'extensions'),
    config: path.join(root, 'config'),
    data: path.join(root, 'data'),
    runtime: path.join(root, 'run'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  // A quiet window: no welcome page, no chat panel, no tips, so screenshots show the product.
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  const trust = opts.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...trust, ...(opts.userSettings || {}) }, null, 2),
  );
  if (opts.locale) declareLanguagePack(dirs.userData, opts.locale);
  const args = [
    opts.entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--vscode-option',
    'enable-smoke-test-driver',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    ...(opts.locale ? ['--locale', opts.locale] : []),
  ];
  const env = {
    ...process.env,
    ...(opts.env || {}),
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    // IPC sockets (vscode-ipc-*.sock) go here instead of the shared /tmp.
    XDG_RUNTIME_DIR: dirs.runtime,
    TMPDIR: dirs.runtime,
  };
  // Our own Node 20 settings must not leak into code-server's Node 24.
  delete env.NODE_OPTIONS;
  delete env.npm_config_nodedir;
  const child = spawn(opts.nodeBin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const onData = (chunk) => {
    const text = chunk.toString();
    output.push(text);
    if (process.env.E2E_VERBOSE) process.stderr.write(text.replace(/^/gm, '[code-server] '));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('code-server did not start within 60 s')), 60_000);
    const check = () => {
      if (output.join('').includes('HTTP server listening')) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      }
    };
    const fail = (err) => {
      clearTimeout(timer);
      reject(new Error(`${err.message}\n--- code-server output ---\n${output.join('').slice(-4000)}`));
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => fail(new Error(`code-server exited early with code ${code}`)));
    check();
  });

  let stopped;
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    dirs,
    output: () => output.join(''),
    /** Stops code-server and everything it spawned (extension host, watchers) by process group. */
    stop() {
      stopped ??= new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = (sig) => {
          try {
            process.kill(-child.pid, sig);
          } catch {
            /* already gone */
          }
        };
        const hard = setTimeout(() => kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(hard);
          resolve();
        });
        kill('SIGTERM');
      });
      return stopped;
    },
  };
}

/** `vscode-remote://` URI for an absolute path on the code-server host. */
function remoteUri(server, absPath) {
  return `vscode-remote://127.0.0.1:${server.port}${absPath.split(path.sep).join('/')}`;
}

/**
 * URL that opens a folder with an extension under development and, optionally, a test entry point.
 * @param {{extensionDevelopmentPath?: string, extensionTestsPath?: string}} payload absolute paths
 */
function workbenchUrl(server, folder, payload = {}) {
  const entries = [];
  if (payload.extensionDevelopmentPath) entries.push(['extensionDevelopmentPath', remoteUri(server, payload.extensionDevelopmentPath)]);
  if (payload.extensionTestsPath) entries.push(['extensionTestsPath', remoteUri(server, payload.extensionTestsPath)]);
  let url = `${server.url}?folder=${encodeURIComponent(folder)}`;
  if (entries.length) url += `&payload=${encodeURIComponent(JSON.stringify(entries))}`;
  return url;
}

/**
 * Launches headless Chromium with a throw-away profile under `root`.
 * @returns {Promise<{context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, close(): Promise<void>}>}
 */
async function launchBrowser(chromiumPath, root, viewport = { width: 1400, height: 900 }) {
  const { chromium } = require('playwright-core');
  const profile = path.join(root, 'chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      removeQuietly(profile);
    },
  };
}

/**
 * Runs an extension-test entry point (a Mocha `run()` module) inside code-server's extension host and
 * resolves with its exit code. The workbench reports the code through `codeAutomationExit`.
 */
async function runExtensionTests({
  server,
  chromiumPath,
  root,
  folder,
  extensionDevelopmentPath,
  extensionTestsPath,
  timeoutMs = 300_000,
  onLog,
  screenshot,
}) {
  const browser = await launchBrowser(chromiumPath, root);
  try {
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    await browser.page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    await browser.page.exposeFunction('codeAutomationLog', (type, args) => {
      // The host forwards console calls as their argument list: format strings (`%s`, `%d`) included.
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      (onLog || ((t, l) => process.stdout.write(`${l}\n`)))(type, line);
    });
    await browser.page.goto(workbenchUrl(server, folder, { extensionDevelopmentPath, extensionTestsPath }));
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => {
        log(`extension tests did not finish within ${timeoutMs / 1000} s`);
        resolve(124);
      }, timeoutMs);
    });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (code !== 0 && screenshot) {
      // What the window showed when the tests failed (a dialog or quick pick waiting for an answer…).
      fs.mkdirSync(path.dirname(screenshot), { recursive: true });
      await browser.page.screenshot({ path: screenshot }).catch(() => undefined);
    }
    return code;
  } finally {
    await browser.close();
  }
}

module.exports = { freePort, makeRunRoot, removeQuietly, startCodeServer, workbenchUrl, remoteUri, launchBrowser, runExtensionTests };
