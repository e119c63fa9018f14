import * as l10n from '@vscode/l10n';
import type { ObjectInfo } from '../../storage/types';

/**
 * The hover lines of what kind of object this is, beyond its bytes: a symlink and its target (OSS: read
 * and compared as the target), an appendable object and where the next append starts, the version shown
 * (versioned buckets). Nothing for a plain object.
 */
export function objectKindLines(
  i: Pick<ObjectInfo, 'key'> & Partial<Pick<ObjectInfo, 'objectType' | 'nextAppendPosition' | 'versionId' | 'symlinkTarget'>>,
): string[] {
  const lines: string[] = [];
  if (i.objectType === 'Symlink') {
    lines.push(l10n.t('Symlink to: {0} (read and compared as its target)', i.symlinkTarget ?? l10n.t('(target not read)')));
  }
  if (i.objectType === 'Appendable') {
    lines.push(
      l10n.t(
        'Appendable: next append at byte {0}',
        i.nextAppendPosition !== undefined ? i.nextAppendPosition.toLocaleString('en-US') : l10n.t('unknown'),
      ),
    );
  }
  if (i.versionId && i.versionId !== 'null') lines.push(l10n.t('Version: {0} (current)', i.versionId));
  return lines;
}
