import type { Credentials, ProviderKind } from './types';

/** Environment variables that hold keys when no stored keys are found (the same names the vendors' tools use). */
export const ENV_VARS: Record<ProviderKind, { id: string; secret: string; token: string }> = {
  cos: { id: 'COS_SECRET_ID', secret: 'COS_SECRET_KEY', token: 'COS_SESSION_TOKEN' },
  oss: { id: 'OSS_ACCESS_KEY_ID', secret: 'OSS_ACCESS_KEY_SECRET', token: 'OSS_SESSION_TOKEN' },
};

/** Keys from the environment for a provider, or undefined when the id or the secret is missing. */
export function credentialsFromEnv(provider: ProviderKind, env: NodeJS.ProcessEnv): Credentials | undefined {
  const names = ENV_VARS[provider];
  const accessKeyId = env[names.id]?.trim();
  const secretAccessKey = env[names.secret]?.trim();
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env[names.token]?.trim();
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}
