import * as vscode from 'vscode';
import { normalizePrefix } from '../shared/mappingModel';
import { PROVIDER_LABELS } from '../shared/profileModel';
import type { TransferServices } from './transferServices';
import type { RemoteTarget } from './targets';

/** Ask for a profile, a bucket and a prefix; `undefined` when the user backs out. */
export async function pickRemoteFolder(services: TransferServices, title: string): Promise<RemoteTarget | undefined> {
  const profiles = services.profiles.all();
  if (profiles.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Add a profile first (Bucket Integrity: Add Profile).'));
    return undefined;
  }
  const profilePick =
    profiles.length === 1
      ? { label: profiles[0].name }
      : await vscode.window.showQuickPick(
          profiles.map((p) => ({ label: p.name, description: `${PROVIDER_LABELS[p.provider]} · ${p.region}` })),
          { title: vscode.l10n.t('{0}: profile', title), ignoreFocusOut: true },
        );
  if (!profilePick) return undefined;
  const profile = profilePick.label;
  const store = await services.storeFor(profile);
  const buckets = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing buckets') },
    () => store.listBuckets(),
  );
  const bucketPick = await vscode.window.showQuickPick(
    buckets.map((b) => ({ label: b.name, description: b.region })),
    { title: vscode.l10n.t('{0}: bucket', title), ignoreFocusOut: true },
  );
  if (!bucketPick) return undefined;
  const prefix = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0}: prefix in {1}', title, bucketPick.label),
    prompt: vscode.l10n.t('Folder in the bucket, e.g. backups/2024/ (empty for the bucket root)'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.includes('..') ? vscode.l10n.t('A prefix cannot contain "..".') : undefined),
  });
  if (prefix === undefined) return undefined;
  return { profile, bucket: bucketPick.label, key: normalizePrefix(prefix.trim()), isPrefix: true };
}

/** Ask for an object key or a prefix (ending with '/') in a bucket, for the palette's download. */
export async function pickRemoteObject(services: TransferServices): Promise<RemoteTarget | undefined> {
  const folder = await pickRemoteFolder(services, 'Download');
  if (!folder) return undefined;
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Download from {0}', folder.bucket),
    prompt: vscode.l10n.t('Object key, or a prefix ending with "/" to download everything under it'),
    value: folder.key,
    ignoreFocusOut: true,
  });
  if (key === undefined) return undefined;
  return { ...folder, key, isPrefix: key === '' || key.endsWith('/') };
}
