import type { ObjectInfo } from '../../storage/types';
import * as l10n from '@vscode/l10n';

/**
 * The hover lines of what kind of object this is, beyond its bytes: a symlink and its target (OSS: read
 * and compared as the target), an appendable object and where the next append starts, the version shown
 * (versioned buckets). Nothing for a plain object.
 */
export function objectKindLines(
  i: Pick<ObjectInfo, 'key'> &
    Partial<Pick<ObjectInfo, 'objectType' | 'nextAppendPosition' | 'nextAppendPositionFrom' | 'versionId' | 'symlinkTarget'>>,
): string[] {
  const lines: string[] = [];
  if (i.objectType === 'Symlink') {
    lines.push(l10n.t('Symlink to: {0} (read and compared as its target)', i.symlinkTarget ?? l10n.t('(target not read)')));
  }
  if (i.objectType === 'Appendable') lines.push(appendLine(i.nextAppendPosition, i.nextAppendPositionFrom));
  if (i.versionId && i.versionId !== 'null') lines.push(l10n.t('Version: {0} (current)', i.versionId));
  return lines;
}

/** Where the next append starts, and whether the service said so or it is the object's length. */
function appendLine(position: number | undefined, from: ObjectInfo['nextAppendPositionFrom']): string {
  if (position === undefined) return l10n.t('Appendable: next append position unknown');
  const at = position.toLocaleString('en-US');
  return from === 'length'
    ? l10n.t('Appendable: next append at byte {0} (its length; the service does not say it here)', at)
    : l10n.t('Appendable: next append at byte {0} (as the service says)', at);
}
