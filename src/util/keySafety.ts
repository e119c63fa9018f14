import * as l10n from '@vscode/l10n';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Turning object keys into local paths without ever writing outside the chosen folder. Object keys are
 * arbitrary strings: `../../.bashrc`, `/etc/passwd`, `C:\x` and `a\..\..\x` are all valid keys, and none of
 * them may become a path outside the target.
 */

export class UnsafeKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(l10n.t('Refused to download "{0}": {1}. It would be written outside the target folder.', key, reason));
    this.name = 'UnsafeKeyError';
  }
}

/**
 * Why a relative key cannot be a local path, or `undefined` when it is safe. The one rule for every
 * command that maps keys to files: downloads, folder mappings and badges.
 */
export function unsafeKeyReason(relativeKey: string): string | undefined {
  if (relativeKey.length === 0) return l10n.t('the name is empty');
  if (relativeKey.includes('\0')) return l10n.t('it contains a NUL character');
  if (relativeKey.includes('\\')) return l10n.t('it contains a backslash');
  if (relativeKey.startsWith('/')) return l10n.t('it is an absolute path');
  if (/^[A-Za-z]:/.test(relativeKey)) return l10n.t('it starts with a drive letter');
  const segments = relativeKey.split('/');
  if (segments.some((s) => s === '..')) return l10n.t('it contains a ".." segment');
  if (segments.some((s) => s === '.')) return l10n.t('it contains a "." segment');
  if (segments.slice(0, -1).some((s) => s === '')) return l10n.t('it contains an empty path segment');
  return undefined;
}

/**
 * The local path for `relativeKey` under `root`, or throws `UnsafeKeyError`. Checked twice: the key's
 * shape first, then the resolved path must still be inside `root`.
 */
export function resolveSafeLocalPath(root: string, relativeKey: string): string {
  const reason = unsafeKeyReason(relativeKey);
  if (reason) throw new UnsafeKeyError(relativeKey, reason);
  const base = resolve(root);
  const target = resolve(join(base, ...relativeKey.split('/')));
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) {
    throw new UnsafeKeyError(relativeKey, l10n.t('it resolves outside the folder'));
  }
  return target;
}

/** True when an object key (relative to a mapped prefix or target folder) cannot safely become a local path. */
export function isUnsafeKey(relativeKey: string): boolean {
  return unsafeKeyReason(relativeKey) !== undefined;
}
