import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Activation stays fast only if loading the extension's entry point does not load the cloud SDKs or the
 * hashing engine: those must be reached through `require()` inside functions (esbuild keeps such modules
 * lazy). This follows the static `import` / `export … from` graph from src/extension.ts and checks that
 * none of the heavy modules are part of it.
 */

const ROOT = resolve(__dirname, '../../..');
const HEAVY_PACKAGES = ['cos-nodejs-sdk-v5', 'ali-oss', 'node:worker_threads', 'worker_threads', 'node-sqlite3-wasm', 'csv-parse'];
const HEAVY_FILES = [
  'src/storage/index.ts',
  'src/storage/cos/store.ts',
  'src/storage/oss/store.ts',
  'src/crc/pool.ts',
  // The CRC record opens on first use, never at activation.
  'src/record/record.ts',
  'src/inventory/import.ts',
];

/** Value imports of a module (type-only imports and `require()` calls are not followed). */
function staticImports(source: string): string[] {
  const out: string[] = [];
  const pattern = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(pattern)) out.push(m[1]);
  return out;
}

function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base])
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  return undefined;
}

function loadedAtActivation(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    const rel = relative(ROOT, file).split('\\').join('/');
    if (files.has(rel)) return;
    files.add(rel);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolveLocal(file, spec);
        if (target) visit(target);
      } else {
        packages.add(spec);
      }
    }
  };
  visit(join(ROOT, entry));
  return { files, packages };
}

describe('lazy activation', () => {
  const { files, packages } = loadedAtActivation('src/extension.ts');

  it('follows the real import graph', () => {
    expect(files.has('src/ui/services.ts')).toBe(true);
    expect(packages.has('vscode')).toBe(true);
  });

  it('does not load the cloud SDKs or the adapters at activation', () => {
    expect(HEAVY_PACKAGES.filter((p) => packages.has(p))).toEqual([]);
    expect(HEAVY_FILES.filter((f) => files.has(f))).toEqual([]);
  });
});
