import * as vscode from 'vscode';
import type { Services } from '../../services';
import { credentialsOf, profileConfigOf } from '../profileArgs';
import { missingKeysHint, validateProfileName, type ProfileConfig } from '../../shared/profileModel';
import { askEndpoint, askKeyChoice, askKeys, askName, askProvider, askRegion } from '../prompts';

const TITLE = vscode.l10n.t('Add Profile');

/**
 * `bucketIntegrity.addProfile`. Without an argument it asks for each field, then the keys. With
 * `{ name, provider, region, endpoint?, credentials? }` it adds the profile without asking.
 * Resolves to the profile added.
 */
export async function addProfile(services: Services, arg?: unknown): Promise<ProfileConfig> {
  const { profiles } = services;
  const given = profileConfigOf(arg);
  if (given.problems.length > 0) throw new Error(vscode.l10n.t('The profile is not valid: {0}', given.problems.join(' ')));

  if (given.profile) {
    const clash = validateProfileName(given.profile.name, profiles.names());
    if (clash) throw new Error(clash);
    const credentials = credentialsOf(arg);
    // Keys first, so the profile never appears in the tree without the keys it was given.
    if (credentials) await profiles.setCredentials(given.profile, credentials);
    await profiles.upsert(given.profile);
    services.logger('profiles').info(`Added profile "${given.profile.name}" (${given.profile.provider}, ${given.profile.region}).`);
    return given.profile;
  }

  const provider = await askProvider(`${TITLE} (1/4)`);
  const name = await askName(`${TITLE} (2/4)`, profiles.names());
  const region = await askRegion(`${TITLE} (3/4)`, provider);
  const endpoint = await askEndpoint(`${TITLE} (4/4)`);
  const profile: ProfileConfig = { name, provider, region, ...(endpoint ? { endpoint } : {}) };

  const choice = await askKeyChoice(`${TITLE}: keys`, profile);
  if (choice === 'enter') await profiles.setCredentials(profile, await askKeys(`${TITLE}: keys`, profile));
  await profiles.upsert(profile);
  services.logger('profiles').info(`Added profile "${name}" (${provider}, ${region}).`);

  if (choice === 'environment' && (await profiles.keySource(profile)) === 'none') {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Profile "{0}" added, but no keys are set in the environment. {1}', name, missingKeysHint(profile)),
    );
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" added.', name));
  }
  return profile;
}
