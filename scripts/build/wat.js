// Assembles hand-written WebAssembly text (`.wat`) at build time with the `wabt` package, so a
// `import wasm from './kernel.wat'` yields the module's bytes (a Uint8Array) embedded in the bundle.
// Used by esbuild.js for the bundles and by vitest.config.mts so the tests run the same WASM.
const { readFile } = require('node:fs/promises');
const path = require('node:path');

let wabtReady;

/** @param {string} file @returns {Promise<Uint8Array>} */
async function assembleWat(file) {
  wabtReady ??= require('wabt')();
  const wabt = await wabtReady;
  const text = await readFile(file, 'utf8');
  const module = wabt.parseWat(file, text);
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** esbuild plugin: `.wat` imports become the assembled bytes (binary loader → Uint8Array). */
const esbuildWatPlugin = {
  name: 'wat',
  setup(build) {
    build.onLoad({ filter: /\.wat$/ }, async (args) => ({
      contents: await assembleWat(args.path),
      loader: 'binary',
      watchFiles: [args.path],
    }));
  },
};

/** Vite/vitest plugin with the same effect. */
function viteWatPlugin() {
  const SUFFIX = '.bytes.js';
  return {
    name: 'wat',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.endsWith('.wat') || !importer) return null;
      // A `.js` suffix keeps the module in the transform pipeline (other extensions get externalized).
      return `${path.resolve(path.dirname(importer.split('?')[0]), source)}${SUFFIX}`;
    },
    async load(id) {
      if (!id.endsWith(SUFFIX)) return null;
      const file = id.slice(0, -SUFFIX.length);
      const bytes = await assembleWat(file);
      const base64 = Buffer.from(bytes).toString('base64');
      return `export default new Uint8Array(Buffer.from(${JSON.stringify(base64)}, 'base64'));`;
    },
  };
}

module.exports = { assembleWat, esbuildWatPlugin, viteWatPlugin };
