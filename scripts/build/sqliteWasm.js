// The CRC record's SQLite (node-sqlite3-wasm) loads `node-sqlite3-wasm.wasm` from the folder of the
// script that bundles it (`__dirname`), so every build puts a copy next to its bundles.
const fs = require('node:fs');
const path = require('node:path');

const WASM = require.resolve('node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm');

/** @type {import('esbuild').Plugin} */
const sqliteWasmPlugin = {
  name: 'sqlite-wasm',
  setup(build) {
    build.onEnd((result) => {
      const out = build.initialOptions.outfile ? path.dirname(build.initialOptions.outfile) : build.initialOptions.outdir;
      if (!out || result.errors.length) return;
      fs.mkdirSync(out, { recursive: true });
      fs.copyFileSync(WASM, path.join(out, path.basename(WASM)));
    });
  },
};

module.exports = { sqliteWasmPlugin };
