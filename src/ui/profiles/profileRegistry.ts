import * as vscode from 'vscode';
import type { Credentials } from '../../storage/types';
import { Disposable } from '../lifecycle';
import type { Logger } from '../logger';
import {
  changedProfileNames,
  credentialsFromEnv,
  parseProfiles,
  parseStoredCredentials,
  secretKeyForProfile,
  serializeCredentials,
  toSettingsEntry,
  type KeySource,
  type ProfileConfig,
} from '../shared/profileModel';
import { rawSetting, writeSetting } from '../shared/settings';

const SECTION = 'bucketIntegrity';
const SETTING = 'profiles';

/** What changed: the profile list (names, regions, endpoints) or only the keys of some profiles. */
export interface ProfilesChange {
  /** Names whose settings entry or keys changed, or that were added or removed. */
  readonly names: readonly string[];
}

/**
 * The profiles of `bucketIntegrity.profiles` and their keys. Keys live only in SecretStorage (or the
 * environment, as a fallback); the setting never holds them and no key is ever logged.
 */
export class ProfileRegistry extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<ProfilesChange>());
  /** Fires when a profile is added, edited or removed, or its keys change. */
  readonly onDidChange = this.changed.event;
  private current: ProfileConfig[] = [];
  private reportedProblems = '';

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
        const profile = this.current.find((p) => secretKeyForProfile(p.name) === e.key);
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

  /** Keys for a profile: SecretStorage first, then the provider's environment variables. */
  async credentials(profile: ProfileConfig): Promise<{ credentials: Credentials; source: KeySource } | undefined> {
    const stored = parseStoredCredentials(await this.secrets.get(secretKeyForProfile(profile.name)));
    if (stored) return { credentials: stored, source: 'secret-storage' };
    const fromEnv = credentialsFromEnv(profile.provider, this.env);
    if (fromEnv) return { credentials: fromEnv, source: 'environment' };
    return undefined;
  }

  async keySource(profile: ProfileConfig): Promise<KeySource> {
    return (await this.credentials(profile))?.source ?? 'none';
  }

  async setCredentials(name: string, credentials: Credentials): Promise<void> {
    await this.secrets.store(secretKeyForProfile(name), serializeCredentials(credentials));
    this.log.info(`Keys of profile "${name}" saved in the secret storage${credentials.sessionToken ? ' (with a session token)' : ''}.`);
  }

  async deleteCredentials(name: string): Promise<void> {
    await this.secrets.delete(secretKeyForProfile(name));
  }

  /** Add or replace (by `previousName`, or by name) a profile in the setting. */
  async upsert(profile: ProfileConfig, previousName?: string): Promise<void> {
    const key = previousName ?? profile.name;
    const list = this.rawList();
    const index = list.findIndex((p) => p.name === key);
    const entry = toSettingsEntry(profile);
    if (index >= 0) list[index] = entry;
    else list.push(entry);
    await this.write(list);
    if (previousName && previousName !== profile.name) {
      // Keys follow a renamed profile.
      const keys = await this.secrets.get(secretKeyForProfile(previousName));
      if (keys) await this.secrets.store(secretKeyForProfile(profile.name), keys);
      await this.deleteCredentials(previousName);
    }
  }

  /** Remove a profile from the setting and forget its keys. */
  async remove(name: string): Promise<void> {
    await this.write(this.rawList().filter((p) => p.name !== name));
    await this.deleteCredentials(name);
  }

  private read(): ProfileConfig[] {
    const { profiles, problems } = parseProfiles(rawSetting('profiles'));
    const text = problems.join('\n');
    if (text && text !== this.reportedProblems) for (const p of problems) this.log.warn(p);
    this.reportedProblems = text;
    return profiles;
  }

  /** The setting as written, keeping entries this version could not parse (they are the user's). */
  private rawList(): ProfileConfig[] {
    const raw = rawSetting('profiles');
    return Array.isArray(raw) ? (raw.filter((x) => typeof x === 'object' && x !== null) as ProfileConfig[]).map((x) => ({ ...x })) : [];
  }

  /** Write where the profiles are defined: the workspace when it sets them, the user settings otherwise. */
  private async write(list: ProfileConfig[]): Promise<void> {
    await writeSetting('profiles', list);
    // Read back at once so commands chained after this one see the new list.
    const before = this.current;
    this.current = this.read();
    const names = changedProfileNames(before, this.current);
    if (names.length > 0) this.changed.fire({ names });
  }
}
