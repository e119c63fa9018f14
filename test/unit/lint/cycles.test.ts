import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No module of src/ imports itself back, through any chain of imports — type-only ones included (a type
 * cycle becomes a value cycle the day a type grows a helper). ESLint's `import-x/no-cycle` keeps value
 * cycles out as code is written; this walks the whole tree with TypeScript's own import scanner.
 */

const ROOT = resolve(__dirname, '../../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `./x` → `x.ts` or `x/index.ts`; undefined for packages and other files (`.wat`). */
function resolveRelative(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((p) => p.endsWith('.ts') && isFile(p));
}

function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
    graph.set(
      file,
      importedFiles.map((i) => resolveRelative(file, i.fileName)).filter((p): p is string => p !== undefined),
    );
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the chain of files (relative to src/). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].map((p) => relative(SRC, p)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('import cycles', { timeout: 60_000 }, () => {
  it('the walk finds a cycle when there is one', () => {
    const a = join(SRC, 'a.ts');
    const b = join(SRC, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });

  it('src/ has none, type-only imports included', () => {
    expect(cycles(importGraph(sourceFiles(SRC)))).toEqual([]);
  });

  it('ESLint refuses a new one', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    // The record's objects store importing the record, which imports the objects store.
    const file = join(SRC, 'record/objects.ts');
    const code = "import { CrcRecord } from './record';\nexport const open = CrcRecord.open;\n";
    const [result] = await eslint.lintText(code, { filePath: file });
    expect(result.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
  });
});
