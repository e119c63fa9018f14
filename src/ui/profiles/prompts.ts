import * as vscode from 'vscode';
import { CancelledError } from '../../util/errors';
import type { Credentials, ProviderKind } from '../../storage/types';
import { PROVIDER_KINDS, providerTraits } from '../../storage/traits';
import {
  ENV_VARS,
  KEY_LABELS,
  PROVIDER_LABELS,
  validateEndpoint,
  validateKeyPart,
  validateProfileName,
  validateRegion,
  type ProfileConfig,
} from '../shared/profileModel';

/** Input boxes stay open when focus moves (users switch to the cloud console to copy a key). */
async function input(options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw new CancelledError();
  return value.trim();
}

export async function askProvider(title: string, current?: ProviderKind): Promise<ProviderKind> {
  const items = PROVIDER_KINDS.map((provider) => ({
    label: PROVIDER_LABELS[provider],
    description: provider === current ? 'current' : provider,
    provider,
  }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Which cloud?'), ignoreFocusOut: true });
  if (!pick) throw new CancelledError();
  return pick.provider;
}

export function askName(title: string, existing: readonly string[], value?: string): Promise<string> {
  return input({
    title,
    prompt: vscode.l10n.t('A name for this profile (shown in the Buckets view)'),
    value,
    placeHolder: vscode.l10n.t('e.g. prod-cos'),
    validateInput: (v) => validateProfileName(v, existing),
  });
}

export function askRegion(title: string, provider: ProviderKind, value?: string): Promise<string> {
  return input({
    title,
    prompt: vscode.l10n.t('Region'),
    value,
    placeHolder: `e.g. ${providerTraits(provider).regionExample}`,
    validateInput: validateRegion,
  });
}

export async function askEndpoint(title: string, value?: string): Promise<string | undefined> {
  const endpoint = await input({
    title,
    prompt: vscode.l10n.t('Endpoint (optional): leave empty for the public endpoint of the region'),
    value,
    placeHolder: vscode.l10n.t('e.g. http://127.0.0.1:9000 for a local emulator, or a private endpoint'),
    validateInput: validateEndpoint,
  });
  return endpoint || undefined;
}

/** Asks for keys in password boxes. The values go to SecretStorage only; they are never logged. */
export async function askKeys(title: string, profile: ProfileConfig): Promise<Credentials> {
  const labels = KEY_LABELS[profile.provider];
  const accessKeyId = await input({
    title,
    prompt: vscode.l10n.t('{0} of "{1}" (kept in the editor\'s secret storage)', labels.id, profile.name),
    password: true,
    validateInput: (v) => validateKeyPart(v, labels.id),
  });
  const secretAccessKey = await input({
    title,
    prompt: vscode.l10n.t('{0} of "{1}"', labels.secret, profile.name),
    password: true,
    validateInput: (v) => validateKeyPart(v, labels.secret),
  });
  const sessionToken = await input({
    title,
    prompt: vscode.l10n.t('STS session token (optional): only for temporary keys; leave empty otherwise'),
    password: true,
  });
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/** How a new profile gets its keys. */
export async function askKeyChoice(title: string, profile: ProfileConfig): Promise<'enter' | 'environment'> {
  const env = ENV_VARS[profile.provider];
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: vscode.l10n.t('Enter the keys now'),
        detail: vscode.l10n.t("Stored in the editor's secret storage, never in settings."),
        choice: 'enter' as const,
      },
      {
        label: vscode.l10n.t('Use environment variables'),
        detail: vscode.l10n.t("{0} and {1} (and {2} for temporary keys) in the editor's environment.", env.id, env.secret, env.token),
        choice: 'environment' as const,
      },
    ],
    { title, placeHolder: vscode.l10n.t('Keys for "{0}"', profile.name), ignoreFocusOut: true },
  );
  if (!pick) throw new CancelledError();
  return pick.choice;
}
