import type { CheckProgress } from '../../integrity/check/progress';
import { formatCount, formatDuration } from '../../util/format';
import * as l10n from '@vscode/l10n';

/**
 * A check's progress in words, for a notification (editor-free, unit-tested):
 * "12,345 of 1,000,000 objects · 52,000/s · ETA 19 s · 3 HEAD", "Hashing local files 40%".
 */
export function progressText(p: CheckProgress): string {
  switch (p.phase) {
    case 'list':
      return l10n.t('Listing local files and remote objects…');
    case 'head':
      return l10n.t('Checking remote objects {0}{1}', formatCount(p.done), p.total !== undefined ? `/${formatCount(p.total)}` : '');
    case 'hash':
      return l10n.t('Hashing local files{0}', p.bytesTotal ? ` ${Math.floor(((p.bytesDone ?? 0) / p.bytesTotal) * 100)}%` : '');
    case 'check': {
      const parts = [
        `${formatCount(p.done)}${p.total ? ` of ${formatCount(p.total)}` : ''} objects`,
        `${formatCount(p.objectsPerSecond ?? 0)}/s`,
      ];
      if (p.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
      parts.push(`${formatCount(p.heads ?? 0)} HEAD`);
      return parts.join(' · ');
    }
  }
}
