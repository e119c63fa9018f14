import { encryptionLabel, isArchiveClass, readability } from '../../storage/objectState';
import type { ObjectInfo } from '../../storage/types';
import * as l10n from '@vscode/l10n';

/**
 * The hover lines of an object's restore state and encryption (the storage class has its own line), in
 * one place. Editor-free, so the wording is unit-tested.
 */
export function objectStateLines(
  i: Pick<ObjectInfo, 'storageClass' | 'restore' | 'encryption'>,
  headed: boolean,
  now = Date.now(),
): string[] {
  const lines: string[] = [];
  if (isArchiveClass(i.storageClass)) {
    const state = readability(i, now);
    if (!headed) lines.push(l10n.t('Restore: archived unless restored (hover again to read its state)'));
    else if (state === 'archived') lines.push(l10n.t('Restore: not restored — Restore… to read its bytes; checks by CRC-64 need none'));
    else if (state === 'restoring') lines.push(l10n.t('Restore: in progress'));
    else lines.push(l10n.t('Restore: restored, readable until {0}', i.restore?.expiry?.toISOString() ?? l10n.t('unknown')));
  }
  // Only when told (HEAD says it on both clouds; a listing does not).
  if (i.encryption) lines.push(l10n.t('Encryption: {0}', encryptionLabel(i.encryption)));
  return lines;
}

/** A short word for the tree's description: the class when not the standard one, and the restore state. */
export function objectStateDescription(i: Pick<ObjectInfo, 'storageClass' | 'restore'>, now = Date.now()): string | undefined {
  const cls = i.storageClass;
  if (!cls || /^standard$/i.test(cls)) return undefined;
  if (!isArchiveClass(cls)) return cls;
  const state = readability(i, now);
  return state === 'archived' ? cls : `${cls}, ${state}`;
}
