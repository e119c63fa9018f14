import * as vscode from 'vscode';
import { customerKeyProblem } from '../../../storage/objectState';
import type { Services } from '../../services';
import { profileNameOf } from '../../shared/commandArgs';
import { pickProfile } from '../../shared/pickProfile';

/**
 * `bucketIntegrity.setCustomerKey`. `(profile?, key?)`: the profile's SSE-C customer key (base64 of 32
 * bytes), sent with its HEAD, GET and copy requests so objects encrypted with it can be checked and read,
 * and with its uploads (PUT, multipart Initiate and every part), which are then written with it. Kept in
 * SecretStorage only; an empty key removes it. Resolves to the profile's name.
 */
export async function setCustomerKey(services: Services, target?: unknown, key?: unknown): Promise<string | undefined> {
  const profile = await pickProfile(services.profiles, vscode.l10n.t('Set Customer Key (SSE-C)'), profileNameOf(target));
  const given = typeof key === 'string' ? key : undefined;
  const value =
    given ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Set Customer Key (SSE-C): {0}', profile.name),
      prompt: vscode.l10n.t(
        'The AES-256 key objects were encrypted with, in base64 (44 characters). Uploads and copies to this profile are written with it too. Leave empty to remove it.',
      ),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? undefined : customerKeyProblem(v)),
    }));
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const problem = trimmed ? customerKeyProblem(trimmed) : undefined;
  if (problem) throw new Error(problem);
  await services.profiles.setCustomerKey(profile, trimmed || undefined);
  if (given === undefined) {
    void vscode.window.showInformationMessage(
      trimmed
        ? vscode.l10n.t('Customer key of "{0}" saved in the secret storage.', profile.name)
        : vscode.l10n.t('Customer key of "{0}" removed.', profile.name),
    );
  }
  return profile.name;
}
