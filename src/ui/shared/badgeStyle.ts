import type { BadgeEntry, BadgeStatus, StatusCounts } from '../../integrity/badgeStore';
import * as l10n from '@vscode/l10n';

/**
 * What a badge looks like for each comparison status: a letter that no Git decoration uses (so both can
 * be told apart in the Explorer), a theme colour contributed in package.json, and a tooltip. Editor-free.
 */

/** `not-compared`: a mapped local file or a remote object that has no result yet. */
export type BadgeLook = BadgeStatus | 'not-compared';

export interface BadgeStyle {
  letter: string;
  /** Contributed colour id (package.json `contributes.colors`). */
  colorId: string;
  title: string;
}

export const BADGE_STYLES: Record<BadgeLook, BadgeStyle> = {
  match: { letter: 'V', colorId: 'bucketIntegrity.badge.match', title: l10n.t('CRC-64 matches') },
  differ: { letter: 'X', colorId: 'bucketIntegrity.badge.mismatch', title: l10n.t('CRC-64 MISMATCH') },
  'no-crc': { letter: 'N', colorId: 'bucketIntegrity.badge.noCrc', title: l10n.t('No CRC-64 stored with the object') },
  'only-local': { letter: 'L', colorId: 'bucketIntegrity.badge.missing', title: l10n.t('Only local: no such object in the bucket') },
  'only-remote': { letter: 'B', colorId: 'bucketIntegrity.badge.missing', title: l10n.t('Only in the bucket: no local file') },
  'not-compared': { letter: '?', colorId: 'bucketIntegrity.badge.notCompared', title: l10n.t('Not compared yet') },
};

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line for a folder: what lies below it, worst first. */
export function rollupSummary(counts: StatusCounts): string {
  const parts: string[] = [];
  if (counts.differ) parts.push(plural(counts.differ, 'mismatch', 'mismatches'));
  if (counts['only-local']) parts.push(l10n.t('{0} only local', counts['only-local']));
  if (counts['only-remote']) parts.push(l10n.t('{0} only in the bucket', counts['only-remote']));
  if (counts['no-crc']) parts.push(`${counts['no-crc']} without CRC-64`);
  if (counts.match) parts.push(plural(counts.match, 'match', 'matches'));
  return parts.join(', ');
}

/** The status line of a tree item's tooltip: the same words as its badge's tooltip. */
export function statusLine(look: BadgeLook, entry: BadgeEntry | undefined): string {
  return l10n.t('Status: {0}{1}', BADGE_STYLES[look].title, entry?.detail ? ` (${entry.detail})` : '');
}

/**
 * The decoration tooltip: status, then details (CRCs, where the remote one came from), or for a folder
 * the counts below it. Never longer than a few short lines.
 */
export function badgeTooltip(look: BadgeLook, entry: BadgeEntry | undefined, below?: StatusCounts): string {
  const lines = [l10n.t('Bucket Integrity: {0}', BADGE_STYLES[look].title)];
  if (entry) {
    if (entry.detail) lines.push(entry.detail);
    if (entry.localCrc64) lines.push(`local CRC-64 ${entry.localCrc64}`);
    if (entry.remoteCrc64) {
      const from =
        entry.remoteCrcSource === 'download'
          ? ' (computed by downloading)'
          : entry.remoteCrcSource === 'record'
            ? ' (from the CRC record)'
            : '';
      lines.push(`remote CRC-64 ${entry.remoteCrc64}${from}`);
    }
  } else if (below) {
    const summary = rollupSummary(below);
    if (summary) lines.push(`below: ${summary}`);
  }
  // The editor shows decoration tooltips on one line: join with separators.
  return lines.join(' — ');
}
