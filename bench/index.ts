import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorkerPath } from '../src/crc/pool';
import { copySection } from './copy';
import type { BenchContext, BenchRow, BenchSection } from './section';
import { auditSection } from './sections/audit';
import { engineSection } from './sections/engine';
import { fileSection } from './sections/file';
import { RSS_CHILD_FLAG, rssChild, rssSection } from './sections/rss';
import { TREE_CHILD_FLAG, treeChild, treeSection } from './sections/tree';
import { MIGRATE_CHILD_FLAG, migrateChild, migrateSection } from './migrate';
import { UPLOAD_CHILD_FLAG, uploadChild, uploadSection } from './upload';
import { verifySection } from './verify';
import { VERIFY_CHILD_FLAG, verifyChild } from './verifyChild';

/**
 * `npm run bench [-- --json] [-- --only engine,file]`: runs the sections below in order, prints a
 * table (or, with --json, one JSON object on stdout merging every section's `json`).
 * A new section is a file in bench/sections/ exporting a `BenchSection`, added to this list.
 */
const SECTIONS: BenchSection[] = [
  engineSection,
  fileSection,
  rssSection,
  treeSection,
  uploadSection,
  migrateSection,
  verifySection,
  copySection,
  auditSection,
];

const USAGE = `Usage: node dist/bench.js [--json] [--only <section>[,<section>…]]

Sections:
${SECTIONS.map((s) => `  ${s.name.padEnd(8)} ${s.summary}`).join('\n')}
`;

function parse(argv: string[]): { json: boolean; only?: string[] } {
  let json = false;
  let only: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a === '--only' ? argv[++i] : a.slice('--only='.length);
      only = (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else {
      throw new Error(`unknown argument "${a}"\n\n${USAGE}`);
    }
  }
  const unknown = only?.filter((name) => !SECTIONS.some((s) => s.name === name)) ?? [];
  if (unknown.length) throw new Error(`unknown section(s): ${unknown.join(', ')}\n\n${USAGE}`);
  return { json, only };
}

function table(rows: Array<BenchRow & { section: string }>): string {
  const cells = rows.map((r) => [r.section, r.name, String(r.value), r.unit, r.note ?? '']);
  const head = ['section', 'measure', 'value', 'unit', 'note'];
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === RSS_CHILD_FLAG) return rssChild(argv[1], argv[2]);
  if (argv[0] === TREE_CHILD_FLAG) return treeChild(argv[1], argv.slice(2));
  if (argv[0] === UPLOAD_CHILD_FLAG) return uploadChild();
  if (argv[0] === MIGRATE_CHILD_FLAG) return migrateChild();
  if (argv[0] === VERIFY_CHILD_FLAG) return verifyChild();
  const { json, only } = parse(argv);
  const tmpDir = mkdtempSync(join(tmpdir(), 'bi-bench-'));
  const ctx: BenchContext = {
    log: (line) => process.stderr.write(`${line}\n`),
    tmpDir,
    workerPath: defaultWorkerPath(),
    benchScript: __filename,
  };
  const result: Record<string, unknown> = {};
  const rows: Array<BenchRow & { section: string }> = [];
  try {
    for (const section of SECTIONS) {
      if (only && !only.includes(section.name)) continue;
      const outcome = await section.run(ctx);
      Object.assign(result, outcome.json);
      rows.push(...outcome.rows.map((r) => ({ ...r, section: section.name })));
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : table(rows));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
