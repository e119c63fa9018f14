import * as vscode from 'vscode';
import type { Services } from '../../services';
import { profileNameOf } from '../../shared/commandArgs';
import { pickProfile } from '../../shared/pickProfile';
import { credentialsOf } from '../profileArgs';
import { askKeys } from '../prompts';

/**
 * `bucketIntegrity.setProfileKeys`. `(profile?, keys?)`: keys (`{ accessKeyId, secretAccessKey,
 * sessionToken? }`, or each cloud's own names) are stored without asking; otherwise they are asked in
 * password boxes. Keys go to SecretStorage only. Resolves to the profile's name.
 */
export async function setProfileKeys(services: Services, target?: unknown, keys?: unknown): Promise<string> {
  const profile = await pickProfile(services.profiles, vscode.l10n.t('Set Profile Keys'), profileNameOf(target));
  const given = credentialsOf(keys) ?? credentialsOf(target);
  const credentials = given ?? (await askKeys(vscode.l10n.t('Set Profile Keys: {0}', profile.name), profile));
  await services.profiles.setCredentials(profile, credentials);
  if (!given) void vscode.window.showInformationMessage(vscode.l10n.t('Keys of "{0}" saved in the secret storage.', profile.name));
  return profile.name;
}
