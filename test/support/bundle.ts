import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { esbuildWatPlugin } = require('../../scripts/build/wat.js') as { esbuildWatPlugin: import('esbuild').Plugin };

const ROOT = join(__dirname, '..', '..');

/**
 * Bundles entries (paths relative to the repository) into a fresh temp folder with the same options
 * as esbuild.js, so tests run the current sources as the shipped bundles would, e.g.
 * `{ 'crc-worker.js': 'src/crc/worker.ts' }`. Returns the folder.
 */
export async function bundleForTest(entries: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bi-bundle-'));
  await Promise.all(
    Object.entries(entries).map(([out, entry]) =>
      build({
        entryPoints: [join(ROOT, entry)],
        outfile: join(dir, out),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        external: ['vscode'],
        logLevel: 'error',
        plugins: [esbuildWatPlugin],
      }),
    ),
  );
  return dir;
}
