// Where the end-to-end tooling lives. Everything heavy goes into the git-ignored `.cache/` of the
// repository so a second run reuses it and `git clean -X` removes it.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.cache');

/** code-server 4.139.1 is VS Code 1.139 and requires Node 24. */
const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';

module.exports = {
  ROOT,
  CACHE,
  CODE_SERVER_VERSION,
  NODE_MAJOR,
  NODE24_DIR: path.join(CACHE, `node${NODE_MAJOR}`),
  CODE_SERVER_DIR: path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`),
  /** Compiled end-to-end tests (esbuild output). */
  E2E_OUT: path.join(ROOT, 'out', 'e2e'),
  /** Screenshots of each UI state, referenced by the README. */
  SCREENSHOTS: path.join(ROOT, 'test-results', 'screenshots'),
  DEMO_WORKSPACE: path.join(ROOT, 'demo', 'workspace'),
};
