/**
 * The text of a "Compute CRC-64" report: one line per file (path, size, CRC-64), then the files that
 * could not be read. Editor-free, so it is unit-tested in plain Node.
 */

import { formatBytes } from '../../util/format';
import * as l10n from '@vscode/l10n';

export interface ComputedFile {
  path: string;
  size: number;
  /** Unsigned decimal, as COS and OSS print it. */
  crc64: string;
}

export interface FailedFile {
  path: string;
  message: string;
}

export interface ComputeOutcome {
  files: ComputedFile[];
  errors: FailedFile[];
  /** Entries the folder walk left out (links to folders, dangling links), in words. */
  notes?: string[];
}

/**
 * A report with aligned columns. Paths are shown relative to `base` when given (e.g. the workspace
 * folder), with '/' separators, so the report reads the same on every platform.
 */
export function formatReport(outcome: ComputeOutcome, options: { base?: string; title?: string } = {}): string {
  const show = (p: string) => displayPath(p, options.base);
  const rows = outcome.files.map((f) => ({ crc: f.crc64, size: String(f.size), path: show(f.path) }));
  const crcWidth = Math.max('CRC-64'.length, ...rows.map((r) => r.crc.length));
  const sizeWidth = Math.max('SIZE'.length, ...rows.map((r) => r.size.length));
  const total = outcome.files.reduce((sum, f) => sum + f.size, 0);
  const notes = outcome.notes ?? [];
  const lines: string[] = [];
  if (options.title) lines.push(options.title, '');
  lines.push(
    `${outcome.files.length} file${outcome.files.length === 1 ? '' : 's'}, ${formatBytes(total)}` +
      (outcome.errors.length ? l10n.t('; {0} could not be read', outcome.errors.length) : '') +
      (notes.length ? l10n.t('; {0} left out', notes.length) : ''),
    '',
  );
  if (rows.length > 0) {
    lines.push(`${'CRC-64'.padEnd(crcWidth)}  ${'SIZE'.padStart(sizeWidth)}  PATH`);
    for (const r of rows) lines.push(`${r.crc.padEnd(crcWidth)}  ${r.size.padStart(sizeWidth)}  ${r.path}`);
  }
  if (outcome.errors.length > 0) {
    if (rows.length > 0) lines.push('');
    lines.push(l10n.t('Not hashed:'));
    for (const e of outcome.errors) lines.push(`  ${show(e.path)}: ${e.message}`);
  }
  if (notes.length > 0) {
    if (rows.length > 0 || outcome.errors.length > 0) lines.push('');
    lines.push(l10n.t('Left out:'));
    for (const n of notes) lines.push(`  ${n}`);
  }
  return lines.join('\n') + '\n';
}

/** `p` relative to `base` with '/' separators when it lies inside it; otherwise `p` unchanged. */
export function displayPath(p: string, base?: string): string {
  if (!base) return p;
  const norm = (s: string) => s.replace(/\\/g, '/').replace(/\/+$/, '');
  const b = norm(base);
  const path = norm(p);
  if (path === b) return '.';
  return path.startsWith(b + '/') ? path.slice(b.length + 1) : p;
}

/** Sorted, without duplicates, and without paths already covered by a selected folder. */
export function dedupeTargets(paths: readonly string[]): string[] {
  const norm = (s: string) => s.replace(/\\/g, '/').replace(/\/+$/, '');
  const sorted = [...new Set(paths)].sort((a, b) => norm(a).length - norm(b).length || (a < b ? -1 : 1));
  const kept: string[] = [];
  for (const p of sorted) {
    const n = norm(p);
    if (kept.some((k) => n === norm(k) || n.startsWith(norm(k) + '/'))) continue;
    kept.push(p);
  }
  return kept.sort();
}
