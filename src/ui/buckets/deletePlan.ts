import * as l10n from '@vscode/l10n';
/**
 * What a Delete in the Buckets view removes, and how its confirmation reads. Editor-free so the wording
 * the user confirms is unit-tested.
 */

/** Keys named in the confirmation before "… and N more". */
const KEYS_SHOWN = 5;

/** What one delete removes in one bucket: the keys (objects picked, and every key below each folder picked). */
export interface DeletePlan {
  profile: string;
  bucket: string;
  keys: string[];
  folders: Array<{ prefix: string; count: number }>;
}

/**
 * The confirmation's message and detail: how many objects, from where, a few of their keys, and each
 * folder with the count of objects below it.
 */
export function deleteConfirmation(plans: readonly DeletePlan[]): { message: string; detail: string } {
  const total = plans.reduce((n, p) => n + p.keys.length, 0);
  const where = plans.length === 1 ? `${plans[0].profile}:${plans[0].bucket}` : `${plans.length} buckets`;
  const message =
    total === 1
      ? l10n.t('Delete {0} object from {1}? This cannot be undone.', total, where)
      : l10n.t('Delete {0} objects from {1}? This cannot be undone.', total, where);
  const lines: string[] = [];
  for (const p of plans) {
    for (const f of p.folders) lines.push(`folder ${f.prefix} (${f.count} object${f.count === 1 ? '' : 's'})`);
    lines.push(...p.keys.filter((k) => !p.folders.some((f) => k.startsWith(f.prefix))));
  }
  const shown = lines.slice(0, KEYS_SHOWN);
  if (lines.length > KEYS_SHOWN) shown.push(`… and ${lines.length - KEYS_SHOWN} more`);
  return { message, detail: shown.join('\n') };
}
