import { describeDestination, destinationOf, insecureEndpointProblem, sameDestination, type Destination } from '../../storage/destination';
import { StorageError } from '../../storage/errors';
import { isProviderKind } from '../../storage/traits';
import type { Credentials } from '../../storage/types';
import { parseStoredCredentials, type KeySource, type ProfileConfig } from '../shared/profileModel';
import * as l10n from '@vscode/l10n';

/**
 * Keys in the secret storage are bound to the destination (provider, region, canonical endpoint) they
 * were saved for. Before a profile's keys leave the editor, `passKeysGate` checks that the profile still
 * points there and that the endpoint is not plain HTTP off this machine, and asks the user otherwise.
 * Imports nothing from `vscode`, so it is tested in plain Node.
 */

/** What the secret storage holds for one profile. */
export interface StoredKeys {
  credentials: Credentials;
  /** Where the keys may go; absent for keys saved before bindings existed. */
  boundTo?: Destination;
}

export function serializeStoredKeys(credentials: Credentials, boundTo: Destination): string {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  const { provider, region, endpoint } = boundTo;
  return JSON.stringify({
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    boundTo: { provider, region, endpoint },
  });
}

export function parseStoredKeys(text: string | undefined): StoredKeys | undefined {
  const credentials = parseStoredCredentials(text);
  if (!credentials || !text) return undefined;
  const raw = (JSON.parse(text) as { boundTo?: Partial<Destination> }).boundTo;
  const bound =
    raw && isProviderKind(raw.provider) && typeof raw.region === 'string' && typeof raw.endpoint === 'string'
      ? { provider: raw.provider, region: raw.region, endpoint: raw.endpoint }
      : undefined;
  return { credentials, ...(bound ? { boundTo: bound } : {}) };
}

/** The keys found for a profile, and where they came from. */
export interface FoundKeys {
  credentials: Credentials;
  source: KeySource;
  boundTo?: Destination;
}

/** What the gate needs from the editor: a modal question, the bindings and the user's HTTP allowances. */
export interface KeysGateDeps {
  /** A modal question; true only when the user picked `confirm`. */
  ask(message: string, detail: string, confirm: string): Promise<boolean>;
  /** Binds the profile's stored keys to a destination (the keys themselves unchanged). */
  rebind(profileName: string, to: Destination): Promise<void>;
  /** Canonical plain-HTTP endpoints the user allowed before. */
  insecureAllowed(endpoint: string): boolean;
  allowInsecure(endpoint: string): Promise<void>;
  log(line: string): void;
}

export const SEND_TO_NEW_DESTINATION = l10n.t('Send Keys There');
export const SEND_IN_CLEAR = l10n.t('Send in Clear');

/**
 * Resolves when the profile's keys may be sent where the profile points (with whether that is an
 * allowed plain-HTTP endpoint); rejects with a `StorageError` naming both destinations when the user
 * declines. Keys from the environment have no binding: the profiles themselves come from user settings only.
 */
export async function passKeysGate(
  profile: ProfileConfig,
  found: FoundKeys,
  deps: KeysGateDeps,
): Promise<{ allowInsecureEndpoint: boolean }> {
  const here = destinationOf(profile);
  if (found.source === 'secret-storage') {
    if (!found.boundTo) {
      await deps.rebind(profile.name, here);
      deps.log(
        `Keys of profile "${profile.name}" are now bound to ${describeDestination(here)} (they were saved before keys had a destination).`,
      );
    } else if (!sameDestination(found.boundTo, here)) {
      const was = describeDestination(found.boundTo);
      const now = describeDestination(here);
      const yes = await deps.ask(
        l10n.t('Send the keys of profile "{0}" to a new destination?', profile.name),
        l10n.t(
          "They were saved for {0}. The profile's settings now point at {1}. Send them there only if you changed the profile yourself.",
          was,
          now,
        ),
        SEND_TO_NEW_DESTINATION,
      );
      if (!yes) {
        throw new StorageError(
          'credentials',
          l10n.t(
            'The keys of profile "{0}" were not sent: they were saved for {1}, and the profile now points at {2}.',
            profile.name,
            was,
            now,
          ),
          l10n.t('Restore the profile in your user settings, or confirm the new destination (Edit Profile or Set Profile Keys).'),
        );
      }
      await deps.rebind(profile.name, here);
      deps.log(`Keys of profile "${profile.name}" moved from ${was} to ${now}, as confirmed.`);
    }
  }
  const insecure = insecureEndpointProblem(profile.endpoint);
  if (insecure && !deps.insecureAllowed(here.endpoint)) {
    const yes = await deps.ask(
      l10n.t('Send the keys of profile "{0}" over plain HTTP?', profile.name),
      l10n.t('{0} Use https:// unless this network is yours.', insecure),
      SEND_IN_CLEAR,
    );
    if (!yes)
      throw new StorageError(
        'insecure-endpoint',
        l10n.t('The keys of profile "{0}" were not sent. {1}', profile.name, insecure),
        l10n.t('Use an https:// endpoint for the profile.'),
      );
    await deps.allowInsecure(here.endpoint);
    deps.log(`Plain HTTP to ${here.endpoint} allowed, as confirmed.`);
  }
  return { allowInsecureEndpoint: insecure !== undefined };
}
