import { ENV_VARS } from '../../storage/envCredentials';
import { isProviderKind } from '../../storage/traits';
import type { ConnectionOptions, Credentials, ProviderKind } from '../../storage/types';
import * as l10n from '@vscode/l10n';

// Re-exported: the environment fallback is shared with the CLI.
export { ENV_VARS, credentialsFromEnv } from '../../storage/envCredentials';

/**
 * Profiles without the editor: validation of what users type or put in settings, the environment-variable
 * fallback for keys, and turning a profile plus keys into `ConnectionOptions`. Imports nothing from
 * `vscode` so it is unit-tested in plain Node.
 */

/** One entry of the `bucketIntegrity.profiles` setting. Keys are never part of it. */
export interface ProfileConfig {
  name: string;
  provider: ProviderKind;
  region: string;
  /** e.g. `http://127.0.0.1:9000` for the local emulator, or a private endpoint. */
  endpoint?: string;
}

export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  cos: l10n.t('Tencent Cloud COS'),
  oss: l10n.t('Alibaba Cloud OSS'),
};

/** The labels each cloud's console uses for the two keys, so prompts speak the user's language. */
export const KEY_LABELS: Record<ProviderKind, { id: string; secret: string }> = {
  cos: { id: 'SecretId', secret: 'SecretKey' },
  oss: { id: 'AccessKeyId', secret: 'AccessKeySecret' },
};

/** Name of the SecretStorage entry that holds a profile's keys. */
export function secretKeyForProfile(name: string): string {
  return `bucketIntegrity.profile:${name}`;
}

/** Where a profile's SSE-C customer key is kept in SecretStorage (apart from its keys: set and removed on its own). */
export function customerKeySecretFor(name: string): string {
  return `bucketIntegrity.profile-sse-c:${name}`;
}

export function validateProfileName(name: string, existing: readonly string[] = []): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return l10n.t('Give the profile a name.');
  if (trimmed.length > 64) return l10n.t('Keep the name under 64 characters.');
  // The name becomes the first segment of tree URIs (`bucket-integrity:/<profile>/<bucket>/<key>`).
  if (/[/\\]/.test(trimmed)) return l10n.t('A profile name cannot contain "/" or "\\".');
  if (existing.some((n) => n.toLowerCase() === trimmed.toLowerCase())) return l10n.t('A profile named "{0}" already exists.', trimmed);
  return undefined;
}

export function validateRegion(region: string): string | undefined {
  const trimmed = region.trim();
  if (!trimmed) return l10n.t('Enter a region, e.g. ap-guangzhou (COS) or oss-cn-hangzhou (OSS).');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(trimmed)) return l10n.t('A region has only lowercase letters, digits and "-", e.g. ap-guangzhou.');
  return undefined;
}

export function validateEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined || endpoint.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return l10n.t('Enter a full URL, e.g. http://127.0.0.1:9000, or leave it empty for the public endpoint.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return l10n.t('The endpoint must start with http:// or https://.');
  if (url.username || url.password) return l10n.t('Do not put credentials in the endpoint; they are asked separately.');
  return undefined;
}

export function validateKeyPart(value: string, label: string): string | undefined {
  if (!value.trim()) return l10n.t('Enter the {0}.', label);
  if (/\s/.test(value.trim())) return l10n.t('The {0} contains spaces; paste it again.', label);
  return undefined;
}

/** All problems with one profile; empty when it is usable. */
export function profileProblems(profile: Partial<ProfileConfig>, otherNames: readonly string[] = []): string[] {
  const problems: string[] = [];
  const nameProblem = validateProfileName(String(profile.name ?? ''), otherNames);
  if (nameProblem) problems.push(nameProblem);
  if (!isProviderKind(profile.provider)) problems.push('provider must be "cos" or "oss".');
  const regionProblem = validateRegion(String(profile.region ?? ''));
  if (regionProblem) problems.push(regionProblem);
  const endpointProblem = validateEndpoint(profile.endpoint);
  if (endpointProblem) problems.push(endpointProblem);
  return problems;
}

/**
 * Read the raw setting. Bad entries are skipped with a message naming them (the rest still work);
 * nothing that looks like a key is ever echoed back.
 */
export function parseProfiles(raw: unknown): { profiles: ProfileConfig[]; problems: string[] } {
  const profiles: ProfileConfig[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { profiles, problems };
  if (!Array.isArray(raw)) return { profiles, problems: ['bucketIntegrity.profiles must be a list of profiles.'] };
  raw.forEach((item, index) => {
    if (typeof item !== 'object' || item === null) {
      problems.push(l10n.t('Profile #{0} is not an object.', index + 1));
      return;
    }
    const p = item as Record<string, unknown>;
    const candidate: ProfileConfig = {
      name: typeof p.name === 'string' ? p.name.trim() : '',
      provider: p.provider as ProviderKind,
      region: typeof p.region === 'string' ? p.region.trim() : '',
      endpoint: typeof p.endpoint === 'string' && p.endpoint.trim() ? p.endpoint.trim() : undefined,
    };
    const issues = profileProblems(
      candidate,
      profiles.map((x) => x.name),
    );
    if (issues.length > 0) {
      problems.push(l10n.t('Profile "{0}" is ignored: {1}', candidate.name || `#${index + 1}`, issues.join(' ')));
      return;
    }
    profiles.push(candidate);
  });
  return { profiles, problems };
}

/**
 * The user's own value of `bucketIntegrity.profiles` from `inspect()`: the global (user) value only.
 * A workspace or folder value is never used (it could point the user's keys at any host); `ignored` says
 * so when one is present, for the log.
 */
export function userProfilesSetting(
  inspected: { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined,
): {
  value: unknown;
  ignored?: string;
} {
  const fromWorkspace = inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
  return {
    value: inspected?.globalValue,
    ...(fromWorkspace ? { ignored: 'bucketIntegrity.profiles in the workspace settings is ignored.' } : {}),
  };
}

/** The settings entry for a profile, without undefined fields. */
export function toSettingsEntry(profile: ProfileConfig): ProfileConfig {
  const entry: ProfileConfig = { name: profile.name, provider: profile.provider, region: profile.region };
  if (profile.endpoint) entry.endpoint = profile.endpoint;
  return entry;
}

/** Serialized form kept in SecretStorage. */
export function serializeCredentials(credentials: Credentials): string {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  return JSON.stringify(sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey });
}

export function parseStoredCredentials(text: string | undefined): Credentials | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Credentials>;
    if (typeof value.accessKeyId !== 'string' || typeof value.secretAccessKey !== 'string') return undefined;
    if (!value.accessKeyId || !value.secretAccessKey) return undefined;
    return {
      accessKeyId: value.accessKeyId,
      secretAccessKey: value.secretAccessKey,
      ...(typeof value.sessionToken === 'string' && value.sessionToken ? { sessionToken: value.sessionToken } : {}),
    };
  } catch {
    return undefined;
  }
}

export function connectionOptionsFor(profile: ProfileConfig, credentials: Credentials): ConnectionOptions {
  return {
    provider: profile.provider,
    region: profile.region,
    ...(profile.endpoint ? { endpoint: profile.endpoint } : {}),
    credentials,
  };
}

/** Where the keys of a profile were found, for the tree's tooltip (never the keys themselves). */
export type KeySource = 'secret-storage' | 'environment' | 'none';

/** A hint that tells the user how to give a profile its keys. */
export function missingKeysHint(profile: ProfileConfig): string {
  const env = ENV_VARS[profile.provider];
  return l10n.t(
    'Run "Bucket Integrity: Set Profile Keys" on "{0}", or set {1} and {2} in the environment.',
    profile.name,
    env.id,
    env.secret,
  );
}

/** Names of profiles added, removed, or whose settings entry differs between two lists. */
export function changedProfileNames(before: readonly ProfileConfig[], after: readonly ProfileConfig[]): string[] {
  const names = new Set<string>();
  const entry = (p: ProfileConfig) => JSON.stringify(toSettingsEntry(p));
  const a = new Map(before.map((p) => [p.name, entry(p)]));
  const b = new Map(after.map((p) => [p.name, entry(p)]));
  for (const [name, value] of a) if (b.get(name) !== value) names.add(name);
  for (const name of b.keys()) if (!a.has(name)) names.add(name);
  return [...names];
}
