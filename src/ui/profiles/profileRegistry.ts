import * as vscode from 'vscode';
import type { Credentials } from '../../storage/types';
import { Disposable } from '../lifecycle';
import type { Logger } from '../logger';
import { destinationOf, type Destination } from '../../storage/destination';
import {
  changedProfileNames,
  credentialsFromEnv,
  customerKeySecretFor,
  parseProfiles,
  secretKeyForProfile,
  toSettingsEntry,
  userProfilesSetting,
  type ProfileConfig,
} from '../shared/profileModel';
import { parseStoredKeys, serializeStoredKeys, type FoundKeys } from './keyBinding';
import { inspectSetting, writeSetting } from '../shared/settings';

const SECTION = 'bucketIntegrity';
const SETTING = 'profiles';

/** What changed: the profile list (names, regions, endpoints) or only the keys of some profiles. */
export interface ProfilesChange {
  /** Names whose settings entry or keys changed, or that were added or removed. */
  readonly names: readonly string[];
}

/**
 * The profiles of `bucketIntegrity.profiles` and their keys. Profiles come from the USER settings only
 * (the setting is application-scoped, and a workspace value is ignored even if present): where keys go is
 * the user's decision, never a cloned repository's. Keys live only in SecretStorage, bound to the
 * destination they were saved for (or in the environment, as a fallback); no key is ever logged.
 */
export class ProfileRegistry extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<ProfilesChange>());
  /** Fires when a profile is added, edited or removed, or its keys change. */
  readonly onDidChange = this.changed.event;
  private current: ProfileConfig[] = [];
  private reportedProblems = '';
  private toldIgnored = false;
  /** Secret entries this registry is rebinding: a new binding alone changes nothing a client uses. */
  private readonly rebinding = new Set<string>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this.current = this.read();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(`${SECTION}.${SETTING}`)) return;
        const before = this.current;
        this.current = this.read();
        const names = changedProfileNames(before, this.current);
        if (names.length > 0) this.changed.fire({ names });
      }),
    );
    this._register(
      secrets.onDidChange((e) => {
        if (this.rebinding.has(e.key)) return;
        const profile = this.current.find((p) => secretKeyForProfile(p.name) === e.key || customerKeySecretFor(p.name) === e.key);
        if (profile) this.changed.fire({ names: [profile.name] });
      }),
    );
  }

  all(): readonly ProfileConfig[] {
    return this.current;
  }

  get(name: string): ProfileConfig | undefined {
    return this.current.find((p) => p.name === name);
  }

  names(): string[] {
    return this.current.map((p) => p.name);
  }

  /** Keys for a profile: SecretStorage first (with the destination they are bound to), then the provider's environment variables. */
  async credentials(profile: ProfileConfig): Promise<FoundKeys | undefined> {
    const stored = parseStoredKeys(await this.secrets.get(secretKeyForProfile(profile.name)));
    if (stored) return { ...stored, source: 'secret-storage' };
    const fromEnv = credentialsFromEnv(profile.provider, this.env);
    if (fromEnv) return { credentials: fromEnv, source: 'environment' };
    return undefined;
  }

  async keySource(profile: ProfileConfig): Promise<FoundKeys['source']> {
    return (await this.credentials(profile))?.source ?? 'none';
  }

  /** Saves keys for a profile, bound to where the profile points now. */
  async setCredentials(profile: ProfileConfig, credentials: Credentials): Promise<void> {
    await this.secrets.store(secretKeyForProfile(profile.name), serializeStoredKeys(credentials, destinationOf(profile)));
    this.log.info(
      `Keys of profile "${profile.name}" saved in the secret storage${credentials.sessionToken ? ' (with a session token)' : ''}.`,
    );
  }

  /** Binds a profile's stored keys to a destination (after the user confirmed it); the keys are unchanged. */
  async rebind(name: string, to: Destination): Promise<void> {
    const key = secretKeyForProfile(name);
    const stored = parseStoredKeys(await this.secrets.get(key));
    if (!stored) return;
    this.rebinding.add(key);
    try {
      await this.secrets.store(key, serializeStoredKeys(stored.credentials, to));
    } finally {
      this.rebinding.delete(key);
    }
  }

  async deleteCredentials(name: string): Promise<void> {
    await this.secrets.delete(secretKeyForProfile(name));
    await this.secrets.delete(customerKeySecretFor(name));
  }

  /** The profile's SSE-C customer key (base64), from SecretStorage only. */
  async customerKey(profile: ProfileConfig): Promise<string | undefined> {
    return (await this.secrets.get(customerKeySecretFor(profile.name))) || undefined;
  }

  /** Keep (or, with undefined, forget) the profile's SSE-C customer key in SecretStorage; never logged. */
  async setCustomerKey(profile: ProfileConfig, key: string | undefined): Promise<void> {
    if (key) await this.secrets.store(customerKeySecretFor(profile.name), key);
    else await this.secrets.delete(customerKeySecretFor(profile.name));
    this.log.info(`Customer key (SSE-C) of profile "${profile.name}" ${key ? 'saved in' : 'removed from'} the secret storage.`);
  }

  /**
   * Add or replace (by `previousName`, or by name) a profile in the user settings. An edit through this
   * call is the user's own: the profile's stored keys follow it (renamed, and bound to its new destination).
   */
  async upsert(profile: ProfileConfig, previousName?: string): Promise<void> {
    const key = previousName ?? profile.name;
    const list = this.rawList();
    const index = list.findIndex((p) => p.name === key);
    const entry = toSettingsEntry(profile);
    if (index >= 0) list[index] = entry;
    else list.push(entry);
    if (index >= 0) {
      const stored = parseStoredKeys(await this.secrets.get(secretKeyForProfile(key)));
      if (stored)
        await this.secrets.store(secretKeyForProfile(profile.name), serializeStoredKeys(stored.credentials, destinationOf(profile)));
    }
    await this.write(list);
    if (index >= 0 && key !== profile.name) await this.deleteCredentials(key);
  }

  /** Remove a profile from the setting and forget its keys. */
  async remove(name: string): Promise<void> {
    await this.write(this.rawList().filter((p) => p.name !== name));
    await this.deleteCredentials(name);
  }

  private read(): ProfileConfig[] {
    const { value, ignored } = userProfilesSetting(inspectSetting('profiles'));
    const { profiles, problems } = parseProfiles(value);
    if (ignored) {
      const text = vscode.l10n.t(
        '{0} Profiles are read from your user settings only, so a workspace cannot send your keys elsewhere.',
        ignored,
      );
      problems.push(text);
      // Said once per window: a user whose profiles were in a workspace learns where they must go.
      if (!this.toldIgnored) void vscode.window.showWarningMessage(vscode.l10n.t('Bucket Integrity: {0}', text));
      this.toldIgnored = true;
    }
    const text = problems.join('\n');
    if (text && text !== this.reportedProblems) for (const p of problems) this.log.warn(p);
    this.reportedProblems = text;
    return profiles;
  }

  /** The user setting as written, keeping entries this version could not parse (they are the user's). */
  private rawList(): ProfileConfig[] {
    const raw = userProfilesSetting(inspectSetting('profiles')).value;
    return Array.isArray(raw) ? (raw.filter((x) => typeof x === 'object' && x !== null) as ProfileConfig[]).map((x) => ({ ...x })) : [];
  }

  /** Writes the user settings: the only place profiles are read from. */
  private async write(list: ProfileConfig[]): Promise<void> {
    await writeSetting('profiles', list, vscode.ConfigurationTarget.Global);
    // Read back at once so commands chained after this one see the new list.
    const before = this.current;
    this.current = this.read();
    const names = changedProfileNames(before, this.current);
    if (names.length > 0) this.changed.fire({ names });
  }
}
