import { isProviderKind } from '../../storage/traits';
import type { Credentials } from '../../storage/types';
import { profileProblems, type ProfileConfig } from '../shared/profileModel';

/**
 * Command arguments for the profile commands, so they can be driven without prompts (from the tree,
 * from other commands, from tests). Which profile an argument names is read by `profileNameOf` in
 * `ui/shared/commandArgs.ts`, like every other remote place.
 */

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/**
 * Keys given as an argument. Accepts the neutral names and each cloud's own (`secretId`/`secretKey` for
 * COS, `accessKeyId`/`accessKeySecret` for OSS); `sessionToken` (or `token`) is optional.
 */
export function credentialsOf(arg: unknown): Credentials | undefined {
  const a = record(arg);
  if (!a) return undefined;
  const nested = record(a.credentials) ?? record(a.keys);
  if (nested) return credentialsOf(nested);
  const accessKeyId = text(a.accessKeyId) ?? text(a.secretId);
  const secretAccessKey = text(a.secretAccessKey) ?? text(a.accessKeySecret) ?? text(a.secretKey);
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = text(a.sessionToken) ?? text(a.token) ?? text(a.securityToken);
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/** A complete profile given as an argument (the settings fields), or undefined to ask for one. */
export function profileConfigOf(arg: unknown): { profile?: ProfileConfig; problems: string[] } {
  const a = record(arg);
  if (!a || typeof a.provider !== 'string') return { problems: [] };
  const profile: ProfileConfig = {
    name: String(a.name ?? '').trim(),
    provider: a.provider as ProfileConfig['provider'],
    region: String(a.region ?? '').trim(),
    ...(text(a.endpoint) ? { endpoint: text(a.endpoint) } : {}),
  };
  const problems = profileProblems(profile);
  return problems.length > 0 ? { problems } : { profile, problems };
}

/** Fields of an edit given as an argument: only the ones present. */
export function profileChangesOf(arg: unknown): Partial<ProfileConfig> | undefined {
  const a = record(arg);
  if (!a) return undefined;
  const changes: Partial<ProfileConfig> = {};
  if (typeof a.name === 'string') changes.name = a.name.trim();
  if (isProviderKind(a.provider)) changes.provider = a.provider;
  if (typeof a.region === 'string') changes.region = a.region.trim();
  if (typeof a.endpoint === 'string') changes.endpoint = a.endpoint.trim() || undefined;
  return Object.keys(changes).length > 0 ? changes : undefined;
}
