import * as vscode from 'vscode';
import { remotePathOf, REMOTE_SCHEME } from '../../buckets/remotePath';
import type { Services } from '../../services';
import { profileNameOf } from '../profileArgs';
import { pickProfile } from '../prompts';

/**
 * `bucketIntegrity.removeProfile`. `(profile?, { confirm?: boolean })`: removes the profile from the
 * settings and forgets its keys. Asks for confirmation unless `confirm: false` is passed.
 * Resolves to the removed profile's name, or undefined when the user kept it.
 */
export async function removeProfile(services: Services, target?: unknown, options?: { confirm?: boolean }): Promise<string | undefined> {
  const profile = await pickProfile(services.profiles, 'Remove Profile', profileNameOf(target));
  if (options?.confirm !== false) {
    const answer = await vscode.window.showWarningMessage(
      `Remove profile "${profile.name}"?`,
      { modal: true, detail: 'Its keys are deleted from the secret storage. Buckets and objects are not touched.' },
      'Remove',
    );
    if (answer !== 'Remove') return undefined;
  }
  await services.profiles.remove(profile.name);
  // Badges of its remote objects no longer mean anything.
  services.badges.deleteUnder(vscode.Uri.from({ scheme: REMOTE_SCHEME, path: remotePathOf({ profile: profile.name }) }).toString());
  services.logger('profiles').info(`Removed profile "${profile.name}".`);
  return profile.name;
}
