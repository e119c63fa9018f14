// `npm run test:e2e`: the end-to-end suite in a real VS Code (code-server), against the local emulator
// seeded with the demo data. Phases:
//   host  — Mocha tests inside the extension host (test/e2e/host), through the URL payload route
//   ui    — Playwright tests that drive the workbench like a person (test/e2e/ui), with screenshots
//   vsix  — `npm run package`, install the .vsix into a clean code-server, check it activates
//   restricted — the host tests of Restricted Mode (test/e2e/host/restricted.test.ts) in a window whose
//           workspace is not trusted (every other phase runs with Workspace Trust disabled)
// Options: --only host,ui,vsix   --keep (keep the temp folder)   --no-build (reuse dist/)
//          E2E_VERBOSE=1 (code-server output)   E2E_GREP=<text> (only tests whose title matches)
//          E2E_UI_RETRIES=<n> (retries of a failed UI test, default 1)
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, SCREENSHOTS, DEMO_WORKSPACE } = require('./paths');
const { ensureCodeServer, findChromium, MissingPrerequisiteError, log } = require('./install');
const { makeRunRoot, removeQuietly, startCodeServer, runExtensionTests } = require('./code-server');
const { buildE2e, runOutDir } = require('./build');
const { packageVsix } = require('../package');

const OUT = runOutDir();
let vsixBytes;
const { requireDemoBundle, startDemoServer, prepareWorkspace } = require('./demo');

const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg
  ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',')
  : ['host', 'restricted', 'ui', 'zh', 'vsix'];
const keep = args.includes('--keep');
const VECTORS_PATH = path.resolve(ROOT, 'test', 'fixtures', 'crc64', 'crc64-vectors.json');
const SUMMARY_FILE = path.join(ROOT, 'test-results', 'e2e-summary.json');

const cleanups = [];
let interrupted = false;

async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (err) {
      log(`cleanup: ${err.message}`);
    }
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    interrupted = true;
    log(`${sig}: stopping code-server, Chromium and the emulator…`);
    cleanup().finally(() => process.exit(130));
  });
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function main() {
  const started = Date.now();
  const timings = {};
  let tools;
  let chromiumPath;
  try {
    chromiumPath = findChromium();
    const t = Date.now();
    tools = ensureCodeServer();
    timings.install = Date.now() - t;
  } catch (err) {
    if (err instanceof MissingPrerequisiteError) {
      log(err.message);
      return 1;
    }
    throw err;
  }

  let t = Date.now();
  if (!args.includes('--no-build')) run(process.execPath, ['esbuild.js'], 'building the extension');
  await buildE2e(OUT.dir);
  cleanups.push(() => OUT.remove());
  timings.build = Date.now() - t;
  try {
    // Without the demo data the suites would have nothing to test: that is a failed run, not a pass.
    requireDemoBundle();
  } catch (err) {
    if (!(err instanceof MissingPrerequisiteError)) throw err;
    log(err.message);
    await cleanup();
    return 1;
  }

  const root = makeRunRoot('e2e');
  cleanups.push(() => (keep ? log(`kept ${root}`) : removeQuietly(root)));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // Failure pictures of an earlier run would mislead; this run's are written fresh.
  for (const f of fs.readdirSync(SCREENSHOTS)) if (/(^|-)failed-/.test(f)) fs.rmSync(path.join(SCREENSHOTS, f), { force: true });

  const results = {};
  timings.emulator = 0;
  for (const phase of only) {
    if (interrupted) break;
    const phaseStart = Date.now();
    const phaseRoot = path.join(root, phase);
    fs.mkdirSync(phaseRoot, { recursive: true });
    // A freshly seeded emulator per phase: what one phase uploads or edits never leaks into the next.
    t = Date.now();
    const demo = await startDemoServer({ dataDir: path.join(phaseRoot, 'emulator'), port: 0 });
    cleanups.push(() => demo.close());
    timings.emulator += Date.now() - t;
    const workspace = prepareWorkspace(DEMO_WORKSPACE, path.join(phaseRoot, 'workspace'), demo.manifest);
    const context = {
      workspace,
      // Profiles live in the user settings (the only place they are read from); tests that add one write here.
      userSettingsFile: path.join(phaseRoot, 'user-data', 'User', 'settings.json'),
      secretsFile: path.join(phaseRoot, 'test-secrets.json'),
      resultsFile: path.join(phaseRoot, 'results.json'),
      metricsFile: path.join(phaseRoot, 'metrics.json'),
      vectorsPath: VECTORS_PATH,
      screenshots: SCREENSHOTS,
      emulator: demo.emulatorInfo,
      demo: demo.manifest,
    };
    const contextFile = path.join(phaseRoot, 'context.json');
    fs.writeFileSync(contextFile, JSON.stringify(context, null, 2));
    const env = { BUCKET_INTEGRITY_E2E_CONTEXT: contextFile, ...(demo.manifest.env ?? {}) };
    const userSettings = demo.manifest.userSettings ?? {};
    let code;
    if (phase === 'host') code = await hostPhase({ tools, chromiumPath, phaseRoot, workspace, env, userSettings });
    else if (phase === 'ui') code = await uiPhase({ tools, chromiumPath, phaseRoot, workspace, env, userSettings, contextFile });
    // The workbench with the display language zh-CN: Chinese titles in the palette, a Chinese report.
    else if (phase === 'zh')
      code = await uiPhase({ tools, chromiumPath, phaseRoot, workspace, env, userSettings, contextFile, locale: 'zh-cn', tests: 'zh' });
    else if (phase === 'vsix') code = await vsixPhase({ tools, chromiumPath, phaseRoot, workspace, env, userSettings });
    else if (phase === 'restricted') {
      code = await hostPhase({
        tools,
        chromiumPath,
        phaseRoot,
        workspace,
        env: { ...env, BUCKET_INTEGRITY_E2E_SUITE: 'restricted' },
        userSettings,
        workspaceTrust: true,
      });
    } else throw new Error(`unknown phase ${phase}`);
    if (phase !== 'vsix') {
      // No key the tests used may be left in what the phase wrote (logs, storage, workspace, results, emulator).
      const sweep = await secretsSweep({ phaseRoot, workspace, demo, context });
      const results = readJson(context.resultsFile) ?? { failures: 0, tests: [] };
      results.tests = [...(results.tests ?? []), sweep];
      fs.writeFileSync(context.resultsFile, JSON.stringify(results, null, 2));
      if (sweep.state === 'failed' && code === 0) code = 1;
    }
    const selfMs = activationFromLog(phaseRoot);
    results[phase] = {
      selfReportedActivationMs: selfMs,
      exitCode: code,
      seconds: (Date.now() - phaseStart) / 1000,
      tests: readJson(context.resultsFile)?.tests,
      metrics: readJson(context.metricsFile),
    };
    await demo.close();
    log(`phase ${phase}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(Date.now() - phaseStart)}`);
  }
  await cleanup();

  const failed = Object.entries(results).filter(([, r]) => r.exitCode !== 0);
  const summary = {
    ok: failed.length === 0 && !interrupted,
    totalSeconds: (Date.now() - started) / 1000,
    setupSeconds: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, v / 1000])),
    activationMs: results.host?.metrics?.activationMs,
    activateCallMs: results.host?.selfReportedActivationMs,
    vsixActivationMs: results.vsix?.metrics?.activationMs,
    vsixActivateCallMs: results.vsix?.selfReportedActivationMs,
    vsixBytes,
    phases: results,
  };
  fs.mkdirSync(path.dirname(SUMMARY_FILE), { recursive: true });
  fs.writeFileSync(SUMMARY_FILE, JSON.stringify(summary, null, 2));
  log('─'.repeat(60));
  for (const [phase, r] of Object.entries(results)) {
    const tests = r.tests ?? [];
    const passed = tests.filter((x) => x.state === 'passed').length;
    log(`${phase.padEnd(5)} ${r.exitCode === 0 ? 'ok    ' : 'FAILED'} ${passed}/${tests.length} tests, ${r.seconds.toFixed(1)} s`);
    for (const x of tests.filter((x) => x.state === 'failed'))
      log(`      ✗ ${x.title}\n        ${String(x.error).split('\n').slice(0, 3).join('\n        ')}`);
  }
  for (const [phase, label] of [
    ['host', 'extension host, development build'],
    ['vsix', 'installed .vsix, production build'],
  ]) {
    const r = results[phase];
    if (!r) continue;
    const parts = [];
    if (r.metrics?.activationMs !== undefined) parts.push(`${r.metrics.activationMs} ms to load and activate`);
    if (r.selfReportedActivationMs !== undefined) parts.push(`${r.selfReportedActivationMs} ms in activate()`);
    if (parts.length) log(`activation (${label}): ${parts.join(', ')}`);
  }
  if (vsixBytes !== undefined) log(`.vsix size: ${(vsixBytes / 1048576).toFixed(2)} MB`);
  log(
    `end-to-end suite: ${summary.ok ? 'passed' : 'FAILED'} in ${seconds(Date.now() - started)} (summary: ${path.relative(ROOT, SUMMARY_FILE)}, screenshots: ${path.relative(ROOT, SCREENSHOTS)}/)`,
  );
  const all = Object.values(results).flatMap((r) => r.tests ?? []);
  const failedCount =
    all.filter((x) => x.state === 'failed').length +
    Object.values(results).filter((r) => r.exitCode !== 0 && !(r.tests ?? []).some((x) => x.state === 'failed')).length;
  process.stdout.write(`e2e: ${all.filter((x) => x.state === 'passed').length} passed, ${failedCount} failed\n`);
  return summary.ok ? 0 : 1;
}

/**
 * The secrets sweep over one phase: the extension's log files and global storage (checkpoints, the CRC
 * record, caches), the workspace, the tests' results (error messages) and the emulator's data and request
 * log, searched for the demo keys and any key a test declared. The editor's own secret storage (in the
 * browser profile) is not searched: keys belong there.
 */
async function secretsSweep({ phaseRoot, workspace, demo, context }) {
  const { sweepForSecrets, secretsOfEnv, requestLogText } = require(path.join(OUT.dir, 'support', 'secretSweep.js'));
  const secrets = [...secretsOfEnv(demo.manifest.env), ...(readJson(context.secretsFile) ?? [])];
  let requestLog = '[]';
  try {
    requestLog = requestLogText(await (await fetch(`${demo.emulatorInfo.endpoint}/_emulator/requests`)).json());
  } catch (err) {
    log(`secrets sweep: could not read the emulator's request log (${err.message})`);
  }
  // Everything under the phase's folder (logs, user data and the extension's global storage, the
  // workspace, the emulator's data) but the runner's own notes of the keys and the browser profile.
  const own = new Set([context.secretsFile, path.join(phaseRoot, 'context.json')]);
  const leaks = await sweepForSecrets({
    secrets,
    folders: [phaseRoot, ...(workspace.startsWith(phaseRoot) ? [] : [workspace])],
    skip: (p) => own.has(p) || path.basename(p) === 'chromium-profile',
    texts: [
      { name: 'test results', text: fs.existsSync(context.resultsFile) ? fs.readFileSync(context.resultsFile, 'utf8') : '' },
      { name: "the emulator's request log", text: requestLog },
    ],
  });
  const title = `secrets sweep: no test key in logs, storage, workspace, results or the emulator (${secrets.length} keys)`;
  if (leaks.length === 0) return { title, state: 'passed' };
  return { title, state: 'failed', error: leaks.map((l) => `${l.secret} in ${path.relative(phaseRoot, l.where) || l.where}`).join('\n') };
}

/** The extension logs "Activated in N ms" (its activate() alone); found in the window's log files. */
function activationFromLog(phaseRoot) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log')) {
        const m = /Activated in ([\d.]+) ms/.exec(fs.readFileSync(p, 'utf8'));
        if (m) found.push(Number(m[1]));
      }
    }
  };
  walk(path.join(phaseRoot, 'user-data', 'logs'));
  return found.length ? found[0] : undefined;
}

function run(cmd, argv, what, extra = {}) {
  log(`${what}…`);
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...extra });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status})`);
}

async function withServer(opts, fn) {
  const server = await startCodeServer(opts);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

function printHostLine(type, line) {
  if (/ENOTFOUND|open-vsx|authentication provider 'github'|vsda|telemetry|\[AgentHost\]|\[AccountPolicyGate\]|api\.github\.com/i.test(line))
    return;
  process.stdout.write(`  ${line}\n`);
}

async function hostPhase({ tools, chromiumPath, phaseRoot, workspace, env, userSettings, workspaceTrust = false }) {
  return withServer({ entry: tools.entry, nodeBin: tools.node.nodeBin, root: phaseRoot, env, userSettings, workspaceTrust }, (server) =>
    runExtensionTests({
      server,
      chromiumPath,
      root: phaseRoot,
      folder: workspace,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(OUT.dir, 'host', 'index.js'),
      onLog: printHostLine,
      screenshot: path.join(SCREENSHOTS, 'failed-host-phase.png'),
    }),
  );
}

async function uiPhase({ tools, chromiumPath, phaseRoot, workspace, env, userSettings, contextFile, locale, tests: testsDir = 'ui' }) {
  return withServer({ entry: tools.entry, nodeBin: tools.node.nodeBin, root: phaseRoot, env, userSettings, locale }, async (server) => {
    // The UI tests run here in Node and reach the workbench through Playwright.
    const ctx = JSON.parse(fs.readFileSync(contextFile, 'utf8'));
    Object.assign(ctx, {
      serverUrl: server.url,
      serverPort: server.port,
      chromiumPath,
      browserRoot: phaseRoot,
      extensionDevelopmentPath: ROOT,
    });
    fs.writeFileSync(contextFile, JSON.stringify(ctx, null, 2));
    const mod = require('mocha');
    const Mocha = mod.Mocha ?? mod.default ?? mod;
    // One retry: a click that lands while the workbench re-renders is the window's timing, not the product.
    const retries = Number(process.env.E2E_UI_RETRIES ?? 1);
    const mocha = new Mocha({
      ui: 'bdd',
      timeout: 90_000,
      color: true,
      reporter: 'spec',
      grep: process.env.E2E_GREP || undefined,
      retries,
    });
    const dir = path.join(OUT.dir, testsDir);
    for (const f of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.test.js'))
      .sort())
      mocha.addFile(path.join(dir, f));
    process.env.BUCKET_INTEGRITY_E2E_CONTEXT = contextFile;
    const tests = [];
    const failures = await new Promise((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', (x) => tests.push({ title: x.fullTitle(), state: 'passed', ms: x.duration }));
      runner.on('fail', (x, err) => tests.push({ title: x.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
    });
    fs.writeFileSync(ctx.resultsFile, JSON.stringify({ failures, tests }, null, 2));
    void workspace;
    return failures === 0 ? 0 : 1;
  });
}

async function vsixPhase({ tools, chromiumPath, phaseRoot, workspace, env, userSettings }) {
  log('packaging the .vsix…');
  const { vsix, size } = await packageVsix({ out: path.join(phaseRoot, 'bucket-integrity.vsix') });
  const extensionsDir = path.join(phaseRoot, 'installed-extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  vsixBytes = size;
  run(
    tools.node.nodeBin,
    [tools.entry, '--extensions-dir', extensionsDir, '--install-extension', vsix],
    `installing ${path.basename(vsix)} into code-server`,
    {
      env: { ...process.env, XDG_CONFIG_HOME: path.join(phaseRoot, 'config'), XDG_DATA_HOME: path.join(phaseRoot, 'data') },
    },
  );
  // A probe extension under development lets the payload route run the tests while the extension
  // itself comes from the installed .vsix, not from this folder.
  const probe = path.join(ROOT, 'test', 'e2e', 'vsix-probe');
  const vsixEnv = { ...env, BUCKET_INTEGRITY_E2E_SUITE: 'activation', BUCKET_INTEGRITY_E2E_EXPECT_INSTALLED: extensionsDir };
  return withServer(
    { entry: tools.entry, nodeBin: tools.node.nodeBin, root: phaseRoot, env: vsixEnv, userSettings, extensionsDir },
    (server) =>
      runExtensionTests({
        server,
        chromiumPath,
        root: phaseRoot,
        folder: workspace,
        extensionDevelopmentPath: probe,
        extensionTestsPath: path.join(OUT.dir, 'host', 'index.js'),
        onLog: printHostLine,
      }),
  );
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch(async (err) => {
    log(String(err && err.stack ? err.stack : err));
    await cleanup();
    process.exitCode = 1;
  });
