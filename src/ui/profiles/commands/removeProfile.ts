import * as vscode from 'vscode';
import { remoteBadgeKey } from '../../shared/badgeKeys';
import { profileNameOf } from '../../shared/commandArgs';
import { pickProfile } from '../../shared/pickProfile';
import type { Services } from '../../services';

/**
 * `bucketIntegrity.removeProfile`. `(profile?, { confirm?: boolean })`: removes the profile from the
 * settings and forgets its keys. Asks for confirmation unless `confirm: false` is passed.
 * Resolves to the removed profile's name, or undefined when the user kept it.
 */
export async function removeProfile(services: Services, target?: unknown, options?: { confirm?: boolean }): Promise<string | undefined> {
  const profile = await pickProfile(services.profiles, vscode.l10n.t('Remove Profile'), profileNameOf(target));
  if (options?.confirm !== false) {
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove profile "{0}"?', profile.name),
      { modal: true, detail: vscode.l10n.t('Its keys are deleted from the secret storage. Buckets and objects are not touched.') },
      vscode.l10n.t('Remove'),
    );
    if (answer !== vscode.l10n.t('Remove')) return undefined;
  }
  await services.profiles.remove(profile.name);
  // Badges of its remote objects no longer mean anything.
  services.badges.deleteUnder(remoteBadgeKey(profile.name));
  services.logger('profiles').info(`Removed profile "${profile.name}".`);
  return profile.name;
}
