import { build, type BuildOptions } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Entry {
  in: string;
  out: string;
  options?: BuildOptions;
}

/** The build's own options and entries, so tests bundle exactly as `npm run build` does. */
const { common, entries } = require('../../esbuild.js') as { common: BuildOptions; entries: Entry[] };

const ROOT = join(__dirname, '..', '..');

/**
 * Bundles entries of esbuild.js (by source path, e.g. `src/crc/worker.ts`) into a fresh temp folder,
 * under their usual file names, so tests run the current sources as the shipped bundles would even
 * when dist/ is stale. Returns the folder.
 */
export async function bundleForTest(sources: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bi-bundle-'));
  await Promise.all(
    sources.map((source) => {
      const entry = entries.find((e) => e.in === source);
      if (!entry) throw new Error(`${source} is not an entry of esbuild.js`);
      return build({
        ...common,
        ...(entry.options ?? {}),
        absWorkingDir: ROOT,
        entryPoints: [entry.in],
        outfile: join(dir, entry.out.replace(/^dist\//, '')),
        sourcemap: false,
        logLevel: 'error',
      });
    }),
  );
  return dir;
}
