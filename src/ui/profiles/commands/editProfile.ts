import * as vscode from 'vscode';
import type { Services } from '../../services';
import { profileNameOf } from '../../shared/commandArgs';
import { pickProfile } from '../../shared/pickProfile';
import { profileChangesOf } from '../profileArgs';
import { profileProblems, type ProfileConfig } from '../../shared/profileModel';
import { askEndpoint, askName, askProvider, askRegion } from '../prompts';

const TITLE = vscode.l10n.t('Edit Profile');

/**
 * `bucketIntegrity.editProfile`. `(profile?, changes?)`: the profile by name, object or tree node (else
 * picked); `changes` (`{ name?, provider?, region?, endpoint? }`) applied without asking, else each field
 * is asked with its current value. Keys follow a renamed profile. Resolves to the edited profile.
 */
export async function editProfile(services: Services, target?: unknown, changesArg?: unknown): Promise<ProfileConfig> {
  const { profiles } = services;
  const current = await pickProfile(profiles, TITLE, profileNameOf(target));
  const others = profiles.names().filter((n) => n !== current.name);

  let edited: ProfileConfig;
  const changes = profileChangesOf(changesArg);
  if (changes) {
    edited = { ...current, ...changes };
    if (!edited.endpoint) delete edited.endpoint;
  } else {
    const provider = await askProvider(`${TITLE} (1/4)`, current.provider);
    const name = await askName(`${TITLE} (2/4)`, others, current.name);
    const region = await askRegion(`${TITLE} (3/4)`, provider, current.region);
    const endpoint = await askEndpoint(`${TITLE} (4/4)`, current.endpoint);
    edited = { name, provider, region, ...(endpoint ? { endpoint } : {}) };
  }
  const problems = profileProblems(edited, others);
  if (problems.length > 0) throw new Error(vscode.l10n.t('The profile is not valid: {0}', problems.join(' ')));

  await profiles.upsert(edited, current.name);
  services
    .logger('profiles')
    .info(
      current.name === edited.name
        ? vscode.l10n.t('Edited profile "{0}".', edited.name)
        : vscode.l10n.t('Renamed profile "{0}" to "{1}".', current.name, edited.name),
    );
  if (!changes) void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" saved.', edited.name));
  return edited;
}
