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
  const profile = await pickProfile(services.profiles, 'Set Profile Keys', profileNameOf(target));
  const given = credentialsOf(keys) ?? credentialsOf(target);
  const credentials = given ?? (await askKeys(`Set Profile Keys: ${profile.name}`, profile));
  await services.profiles.setCredentials(profile, credentials);
  if (!given) void vscode.window.showInformationMessage(`Keys of "${profile.name}" saved in the secret storage.`);
  return profile.name;
}
