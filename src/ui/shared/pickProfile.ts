import * as vscode from 'vscode';
import { CancelledError } from '../../util/errors';
import { PROVIDER_LABELS, type ProfileConfig } from './profileModel';

/** The profiles a picker can choose from. */
export interface ProfileList {
  all(): readonly ProfileConfig[];
  get(name: string): ProfileConfig | undefined;
}

/** The profile named by a command argument, or one picked from the list. */
export async function pickProfile(profiles: ProfileList, title: string, name?: string): Promise<ProfileConfig> {
  if (name) {
    const found = profiles.get(name);
    if (!found) throw new Error(vscode.l10n.t('There is no profile named "{0}".', name));
    return found;
  }
  const all = profiles.all();
  if (all.length === 0) throw new Error(vscode.l10n.t('There is no profile yet. Run "Bucket Integrity: Add Profile" first.'));
  const pick = await vscode.window.showQuickPick(
    all.map((p) => ({ label: p.name, description: `${PROVIDER_LABELS[p.provider]} · ${p.region}`, detail: p.endpoint, profile: p })),
    { title, placeHolder: vscode.l10n.t('Which profile?') },
  );
  if (!pick) throw new CancelledError();
  return pick.profile;
}
