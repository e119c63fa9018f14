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
    lines.push(`Symlink to: ${i.symlinkTarget ?? '(target not read)'} (read and compared as its target)`);
  }
  if (i.objectType === 'Appendable') {
    lines.push(
      `Appendable: next append at byte ${i.nextAppendPosition !== undefined ? i.nextAppendPosition.toLocaleString('en-US') : 'unknown'}`,
    );
  }
  if (i.versionId && i.versionId !== 'null') lines.push(`Version: ${i.versionId} (current)`);
  return lines;
}
