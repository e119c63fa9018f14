import * as vscode from 'vscode';
import type { ObjectStore } from '../../storage/types';
import { CancelledError } from '../../util/errors';

/** One of the profile's buckets, picked by the user; `suggested` comes first. */
export async function pickBucket(store: ObjectStore, title: string, suggested?: string): Promise<string> {
  const buckets = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing buckets') },
    () => store.listBuckets(),
  );
  const items = buckets
    .map((b) => ({
      label: b.name,
      description: [b.region, b.name === suggested ? vscode.l10n.t('this bucket') : undefined].filter(Boolean).join(' · '),
    }))
    .sort((a, b) => Number(b.label === suggested) - Number(a.label === suggested) || a.label.localeCompare(b.label));
  if (items.length === 0) throw new Error(vscode.l10n.t('The profile sees no bucket.'));
  const pick = await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true });
  if (!pick) throw new CancelledError();
  return pick.label;
}
