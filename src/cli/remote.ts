import { DEFAULT_TIMEOUT_MS } from '../storage/shared/connection';
import { insecureEndpointProblem } from '../storage/destination';
import { customerKeyProblem } from '../storage/objectState';
import { credentialsFromEnv, ENV_VARS } from '../storage/envCredentials';
import { regionOfEndpoint } from '../storage/locationIdentity';
import { regionNameProblem } from '../storage/regionNames';
import { isProviderKind, providerTraits } from '../storage/traits';
import type { ConnectionOptions, ProviderKind } from '../storage/types';
import { parseRemoteUrl, type RemoteUrl } from '../transfer/remoteUrl';
import { type FlagSpec, type ParsedArgs, positiveIntFlag, stringFlag } from './args';
import { UsageError } from './io';
import * as l10n from '@vscode/l10n';

/** The environment variable the CLI reads an SSE-C customer key from (never a flag: it would show in `ps`). */
export const CUSTOMER_KEY_ENV = 'BUCKET_INTEGRITY_SSE_C_KEY';

/** Flags every command that talks to a bucket accepts. */
export const REMOTE_FLAGS: FlagSpec = {
  provider: { type: 'string' },
  endpoint: { type: 'string' },
  'allow-insecure-endpoint': { type: 'boolean' },
  region: { type: 'string' },
  timeout: { type: 'string' },
};

/** The remote options of `--help`, in the run's language. */
export function remoteUsage(): string {
  return l10n.t(
    `  --provider cos|oss         cloud of the remote (may be left out: the URL's scheme says it)
  --region <region>          e.g. ap-guangzhou (COS) or oss-cn-hangzhou (OSS); may be left out when
                             --endpoint is the region's public one (https://cos.ap-guangzhou.myqcloud.com)
  --endpoint <url>           a private endpoint or the local emulator, e.g. http://127.0.0.1:9000
  --allow-insecure-endpoint
                             send keys to a plain http:// endpoint that is not this machine
                             (they and any session token travel in clear; refused without it)
  --timeout <seconds>        per request (default {0})
  Keys come from COS_SECRET_ID / COS_SECRET_KEY [/ COS_SESSION_TOKEN] or
  OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET [/ OSS_SESSION_TOKEN]. Objects encrypted with a customer
  key (SSE-C) are read with the key in {1} (base64 of 32 bytes).`,
    DEFAULT_TIMEOUT_MS / 1000,
    CUSTOMER_KEY_ENV,
  );
}

/**
 * The prefix of the variables that give the second place of a two-place command its own keys (another
 * account): `cp`'s destination, the second remote of `verify <remote> <remote>`.
 */
export const DEST_ENV_PREFIX = 'BUCKET_INTEGRITY_DEST_';

/**
 * The environment the second place's connection reads its keys from: its own `BUCKET_INTEGRITY_DEST_*`
 * keys of the provider when any is set (all of them then: never one side's id with the other's secret),
 * else the shared ones.
 */
export function destEnv(provider: ProviderKind, env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; ownKeys: boolean } {
  const names = Object.values(ENV_VARS[provider]);
  if (!names.some((n) => env[DEST_ENV_PREFIX + n])) return { env, ownKeys: false };
  const own = { ...env };
  for (const n of names) own[n] = env[DEST_ENV_PREFIX + n];
  return { env: own, ownKeys: true };
}

/** `cos://bucket/prefix` or `oss://bucket/prefix`, or a usage error that shows the expected form. */
export function parseRemoteArg(text: string | undefined): RemoteUrl {
  const remote = text === undefined ? undefined : parseRemoteUrl(text);
  if (!remote) {
    throw new UsageError(l10n.t('expected a remote like cos://bucket/prefix or oss://bucket/prefix, got "{0}"', text ?? ''));
  }
  return remote;
}

/**
 * Connection options from the flags and the environment. Missing keys are a usage error naming the
 * variables to set; the keys themselves never appear in any message.
 */
export function connectionFromArgs(args: ParsedArgs, remote: RemoteUrl, env: NodeJS.ProcessEnv): ConnectionOptions {
  const providerFlag = stringFlag(args, 'provider');
  if (providerFlag !== undefined && !isProviderKind(providerFlag)) {
    throw new UsageError(l10n.t('--provider must be "cos" or "oss", got "{0}"', providerFlag));
  }
  if (providerFlag !== undefined && providerFlag !== remote.provider) {
    throw new UsageError(l10n.t("--provider {0} does not match the remote's scheme {1}://", providerFlag, remote.provider));
  }
  const provider: ProviderKind = remote.provider;
  const endpoint = stringFlag(args, 'endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/i.test(endpoint)) {
    throw new UsageError(l10n.t('--endpoint must be an http:// or https:// URL, got "{0}"', endpoint));
  }
  // A cloud endpoint names its region (cos.ap-guangzhou.myqcloud.com): --region may be left out.
  const region = stringFlag(args, 'region') || (endpoint ? regionOfEndpoint(provider, endpoint) : undefined);
  if (!region) {
    throw new UsageError(
      l10n.t("--region is required (e.g. {0}), unless --endpoint is the region's public endpoint", providerTraits(provider).regionExample),
    );
  }
  // Without --endpoint the region picks the host: one that cannot exist is a usage error, not a network one.
  const regionProblem = endpoint ? undefined : regionNameProblem(provider, region);
  if (regionProblem) throw new UsageError(l10n.t('--region {0}', regionProblem));
  const allowInsecure = args.flags['allow-insecure-endpoint'] === true;
  const insecure = insecureEndpointProblem(endpoint);
  if (insecure && !allowInsecure)
    throw new UsageError(l10n.t('{0} Use https://, or pass --allow-insecure-endpoint to send them anyway.', insecure));
  const timeoutSeconds = positiveIntFlag(args, 'timeout');
  const credentials = credentialsFromEnv(provider, env);
  if (!credentials) {
    const names = ENV_VARS[provider];
    throw new UsageError(l10n.t('no {0} keys: set {1} and {2} in the environment', provider.toUpperCase(), names.id, names.secret));
  }
  const customerKey = customerKeyFromEnv(env);
  return {
    provider,
    region,
    ...(customerKey ? { customerKey } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(insecure ? { allowInsecureEndpoint: true } : {}),
    credentials,
    timeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : DEFAULT_TIMEOUT_MS,
  };
}

/** The SSE-C key from the environment, checked; the message never repeats it. */
function customerKeyFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const key = env[CUSTOMER_KEY_ENV]?.trim();
  if (!key) return undefined;
  const problem = customerKeyProblem(key);
  if (problem) throw new UsageError(`${CUSTOMER_KEY_ENV}: ${problem}`);
  return key;
}
