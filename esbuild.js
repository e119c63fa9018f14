// Bundles the extension, the hashing worker, the CLI, the emulator and the benchmark.
// `vscode` is provided by the editor at run time and stays external.
const esbuild = require('esbuild');
const { esbuildWatPlugin } = require('./scripts/build/wat.js');
const { sqliteWasmPlugin } = require('./scripts/build/sqliteWasm.js');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // `proxy-agent` is an optional require of ali-oss's HTTP client, reached only when a proxy is configured.
  external: ['vscode', 'proxy-agent'],
  logLevel: 'warning',
  plugins: [esbuildWatPlugin, sqliteWasmPlugin],
};

/** Each entry is bundled on its own so a worker or the CLI never drags in the editor glue. */
const entries = [
  { in: 'src/extension.ts', out: 'dist/extension.js' },
  { in: 'src/cli/main.ts', out: 'dist/cli.js', options: { banner: { js: '#!/usr/bin/env node' } } },
  { in: 'src/crc/worker.ts', out: 'dist/crc-worker.js' },
  { in: 'src/inventory/worker.ts', out: 'dist/inventory-worker.js' },
  { in: 'emulator/cli.ts', out: 'dist/emulator.js' },
  // Demo data for `npm start`, the end-to-end tests and `emulator --demo`; runs only inside the repository.
  { in: 'demo/seed.ts', out: 'dist/demo-seed.js', options: { external: ['vscode', 'cos-nodejs-sdk-v5', 'ali-oss'] } },
  // crc64-ecma182.js (the baseline) loads its .wasm from its own folder, so it stays in node_modules.
  { in: 'bench/index.ts', out: 'dist/bench.js', options: { external: ['vscode', 'proxy-agent', 'crc64-ecma182.js'] } },
];

async function main() {
  const contexts = await Promise.all(
    entries.map((e) =>
      esbuild.context({
        ...common,
        ...(e.options || {}),
        entryPoints: [e.in],
        outfile: e.out,
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

// Tests bundle with the same options (test/support/bundle.ts).
module.exports = { common, entries };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
