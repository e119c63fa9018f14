import * as vscode from 'vscode';
import { remoteTargetOf } from '../../shared/commandArgs';
import {
  askRestoreRequest,
  restoreRequestOf as requestOf,
  restoreWithProgress,
  type RestorePlace,
  type RestoreServices,
} from '../../shared/restoreFlow';

/**
 * `bucketIntegrity.restoreObject` ("Restore…") on an archived object: tier and days (asked, or given as
 * the second argument), then the restore tracked until the object is readable. Resolves to what happened.
 */
export async function restoreObject(
  services: RestoreServices,
  onRestored: (place: RestorePlace) => void,
  target?: unknown,
  request?: unknown,
): Promise<{ restored: boolean; expiry?: string; notArchived?: true } | undefined> {
  const t = remoteTargetOf(target);
  if (!t || t.isPrefix || !t.key) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick an archived object in the Buckets view to restore it.'));
    return undefined;
  }
  const place = { profile: t.profile, bucket: t.bucket, key: t.key };
  const asked = requestOf(request) ?? (await askRestoreRequest(place.key));
  if (!asked) return undefined;
  const result = await restoreWithProgress(services, place, asked);
  if (result === 'not-archived') return { restored: false, notArchived: true };
  if (!result) return { restored: false };
  onRestored(place);
  void vscode.window.showInformationMessage(
    result.expiry
      ? vscode.l10n.t('{0} is restored and readable until {1}.', place.key, result.expiry.toISOString())
      : vscode.l10n.t('{0} is restored.', place.key),
  );
  return { restored: true, ...(result.expiry ? { expiry: result.expiry.toISOString() } : {}) };
}
