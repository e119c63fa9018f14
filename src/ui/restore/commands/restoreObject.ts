import * as vscode from 'vscode';
import { RESTORE_TIERS, type RestoreRequest, type RestoreTier } from '../../../storage/objectState';
import { remoteTargetOf } from '../../shared/commandArgs';
import { askRestoreRequest, restoreWithProgress, type RestorePlace, type RestoreServices } from '../../shared/restoreFlow';

/** A `{ tier, days }` argument (scripts and tests), checked; undefined when absent or not one. */
function requestOf(arg: unknown): RestoreRequest | undefined {
  const r = arg as { tier?: unknown; days?: unknown } | undefined;
  if (!r || typeof r !== 'object') return undefined;
  const days = Number(r.days ?? 1);
  const tier = (r.tier ?? 'Standard') as RestoreTier;
  if (!RESTORE_TIERS.includes(tier) || !Number.isInteger(days) || days < 1 || days > 365) return undefined;
  return { tier, days };
}

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
