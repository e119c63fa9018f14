import type { ProviderKind } from '../types';
import { StorageError, type StorageErrorKind } from '../errors';
import { providerTraits } from '../traits';
import * as l10n from '@vscode/l10n';

/**
 * Turns what an SDK reported into a `StorageError` a user can act on. Both adapters first reduce their
 * SDK's error to a `RawFailure` (plain fields, no SDK object), so the wording is the same for both clouds
 * and no raw object, request header or secret can leak through.
 */
export interface RawFailure {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The service's error code (`NoSuchBucket`) or a socket error code (`ECONNRESET`). */
  code?: string;
  /** The service's own message; only used for `invalid-request`, and redacted first. */
  serviceMessage?: string;
  requestId?: string;
  /** The request timed out on our side. */
  timedOut?: boolean;
  /** No response: connection refused, reset, DNS... */
  networkError?: boolean;
  /** The response could not be understood. */
  malformed?: boolean;
}

export interface FailureContext {
  provider: ProviderKind;
  /** The kind, when the adapter knows it better than the answer tells (an operation the cloud lacks). */
  kind?: StorageErrorKind;
  /** What we were doing, e.g. `HEAD cos://bucket/key`. */
  operation: string;
  bucket?: string;
  profileName?: string;
  /** The connection's region, and whether the host is that region's public one (named when DNS fails). */
  region?: string;
  defaultEndpoint?: boolean;
  /** Strings that must never appear in a message (secrets, tokens). */
  secrets: readonly string[];
  /** Set when the call's total deadline, not one attempt's timeout, ended it. */
  deadline?: { ms: number; attempts: number };
  /**
   * A call that reads one object (HEAD, GET, a copy's source): whether it carried a customer key (SSE-C).
   * Such a call refused with 400 and no key, or 403 with a key, is about that key.
   */
  customerKey?: 'sent' | 'none';
  /** Whether the connection has a customer key (then every object call, reads and writes alike, sends it). */
  customerKeyOnConnection?: boolean;
}

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSecurityToken',
  'SecurityTokenExpired',
  'ExpiredToken',
  'InvalidToken',
  'AccessKeyIdNotFound',
  'InvalidSecretId',
  'RequestTimeTooSkewed',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ResponseTimeoutError', 'ConnectionTimeoutError']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'RequestError',
  'ResponseError',
  'SocketCloseError',
]);

/** Replace every occurrence of a secret with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

function keyNames(provider: ProviderKind): string {
  return provider === 'cos' ? 'SecretId/SecretKey' : 'AccessKeyId/AccessKeySecret';
}

function envNames(provider: ProviderKind): string {
  return provider === 'cos' ? 'COS_SECRET_ID/COS_SECRET_KEY' : 'OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET';
}

/** Kinds a service error code names, whatever the status. */
const KIND_BY_CODE: ReadonlyArray<[codes: readonly string[], kind: StorageErrorKind]> = [
  [[...CREDENTIAL_CODES], 'credentials'],
  [['NoSuchBucket'], 'no-such-bucket'],
  [['NoSuchKey'], 'no-such-key'],
  [['NoSuchUpload'], 'no-such-upload'],
  [['PreconditionFailed'], 'precondition-failed'],
  [['PositionNotEqualToLength'], 'position-conflict'],
  [['NoSuchInventory', 'NoSuchInventoryConfiguration'], 'no-such-inventory'],
  [['RestoreAlreadyInProgress'], 'restore-in-progress'],
  [['InvalidObjectState'], 'archived'],
  [['AccessDenied'], 'access-denied'],
];

function classify(raw: RawFailure, ctx: FailureContext): StorageErrorKind {
  const code = raw.code ?? '';
  const customer = customerKeyKind(raw, ctx);
  if (customer) return customer;
  if (raw.timedOut || TIMEOUT_CODES.has(code)) return 'timeout';
  if (raw.malformed) return 'malformed-response';
  if (raw.status === undefined || raw.status <= 0) {
    return raw.networkError || NETWORK_CODES.has(code) || raw.status !== undefined ? 'network' : 'malformed-response';
  }
  return kindFromCode(code, raw.status) ?? kindFromStatus(raw.status);
}

/**
 * COS's one documented code for an SSE-C key that is missing or not the object's (or upload's): 400
 * `SsecDecryptHeaderInvalid`, "the same key should be provided in the request header" (COS API error codes,
 * 4XX table). Whether a key went with the request tells which of the two it is.
 */
const CUSTOMER_KEY_CODES = new Set(['SsecDecryptHeaderInvalid']);

/**
 * SSE-C as the services answer it: COS names it (above), on a read or a write alike. Without a code
 * (a HEAD has no body) or where the service documents none (OSS documents no SSE-C; it is answered as S3
 * answers it), a read without a key refused with 400 (InvalidRequest), or with a key refused with 403, is
 * about that key. Rejected access keys (a credentials code) stay what they are.
 */
function customerKeyKind(raw: RawFailure, ctx: FailureContext): StorageErrorKind | undefined {
  const code = raw.code && !/^\d+$/.test(raw.code) ? raw.code : undefined;
  const customerKey = ctx.customerKey;
  if (code !== undefined && CUSTOMER_KEY_CODES.has(code)) {
    const sent = customerKey ? customerKey === 'sent' : ctx.customerKeyOnConnection === true;
    return sent ? 'customer-key-wrong' : 'customer-key-required';
  }
  if (customerKey === 'none' && raw.status === 400 && (code === undefined || code === 'InvalidRequest' || code === 'BadRequest'))
    return 'customer-key-required';
  if (customerKey === 'sent' && raw.status === 403 && (code === undefined || code === 'AccessDenied' || code === 'Forbidden'))
    return 'customer-key-wrong';
  // COS refuses another key with 400 (SsecDecryptHeaderInvalid), which a HEAD answers without a body.
  if (customerKey === 'sent' && raw.status === 400 && code === undefined) return 'customer-key-wrong';
  return undefined;
}

/** The code's kind; a 412 counts as a failed precondition and a 403 as denied access, as their codes would. */
function kindFromCode(code: string, status: number): StorageErrorKind | undefined {
  for (const [codes, kind] of KIND_BY_CODE) {
    if (codes.includes(code)) return kind;
    if (kind === 'precondition-failed' && status === 412) return kind;
    if (kind === 'access-denied' && status === 403) return kind;
  }
  return undefined;
}

function kindFromStatus(status: number): StorageErrorKind {
  if (status === 404) return 'no-such-key';
  if (status >= 500) return 'server';
  if (status >= 400) return 'invalid-request';
  return 'malformed-response';
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** What the wording of every kind may use. */
interface Facts {
  raw: RawFailure;
  ctx: FailureContext;
  /** `COS` or `OSS`. */
  cloud: string;
  /** Which keys to check: the profile's, or the environment's. */
  profile: string;
  /** `the region of profile "p"`, or `the region` where no profile is (the CLI). */
  setting(what: 'region' | 'endpoint'): string;
  /** The service's error code, when it is a name and not a number. */
  code?: string;
  /** ` (Code)` or ` (HTTP 400)`, or nothing. */
  codeSuffix: string;
}

interface Words {
  message: string;
  hint: string;
}

/** A kind about the state of one object, upload or configuration: `<what> (Code) (<operation>).` and a fixed hint. */
function stateWords(what: () => string, hint: () => string): (f: Facts) => Words {
  return (f) => ({ message: l10n.t('{0}{1} ({2}).', what(), f.codeSuffix, f.ctx.operation), hint: hint() });
}

/** SSE-C refusals: the kind says what the bare 400 / 403 meant, so the status is not repeated. */
function keyWords(what: () => string, hint: () => string): (f: Facts) => Words {
  return (f) => ({ message: l10n.t('{0} ({1}).', what(), f.ctx.operation), hint: hint() });
}

const TOKEN_CODES = new Set(['InvalidSecurityToken', 'ExpiredToken', 'SecurityTokenExpired']);

// Worded when an error is made (l10n.t at call time), so each message is in the run's language.
const WORDS: Record<StorageErrorKind, (f: Facts) => Words> = {
  credentials: (f) => ({
    message: l10n.t('{0} rejected the credentials{1} while trying to {2}.', f.cloud, f.codeSuffix, f.ctx.operation),
    hint:
      f.code === 'RequestTimeTooSkewed'
        ? l10n.t('The computer clock is off; correct the system time and retry.')
        : f.code && TOKEN_CODES.has(f.code)
          ? l10n.t('Check the {0}{1} and renew the session token.', keyNames(f.ctx.provider), f.profile)
          : l10n.t('Check the {0}{1}.', keyNames(f.ctx.provider), f.profile),
  }),
  'access-denied': (f) => ({
    message: l10n.t('{0} denied access{1} while trying to {2}.', f.cloud, f.codeSuffix, f.ctx.operation),
    hint: l10n.t('Check that the keys{0} are correct and are allowed this operation on the bucket.', f.profile),
  }),
  'no-such-bucket': (f) => ({
    message: l10n.t('Bucket "{0}" does not exist{1}.', f.ctx.bucket ?? '?', f.codeSuffix),
    hint:
      f.ctx.provider === 'cos'
        ? l10n.t('Check the bucket name (COS names end with -<APPID>) and {0}.', f.setting('region'))
        : l10n.t('Check the bucket name and {0}.', f.setting('region')),
  }),
  'no-such-key': stateWords(
    () => l10n.t('The object does not exist'),
    () => l10n.t('Refresh the listing; the object may have been deleted or renamed.'),
  ),
  'no-such-upload': stateWords(
    () => l10n.t('The multipart upload no longer exists'),
    () => l10n.t('It was completed or aborted elsewhere; start the upload again.'),
  ),
  'precondition-failed': stateWords(
    () => l10n.t('The source changed since it was read'),
    () => l10n.t('Read the source again (its ETag changed) and repeat the operation.'),
  ),
  'no-such-inventory': stateWords(
    () => l10n.t('The inventory configuration does not exist'),
    () => l10n.t("Check the inventory id; list the bucket's inventories to see which exist."),
  ),
  'position-conflict': stateWords(
    () => l10n.t('The object is no longer as long as expected'),
    () => l10n.t('Another writer appended to it; read its current length and append from there.'),
  ),
  archived: stateWords(
    () => l10n.t('The object is in an archive storage class and must be restored before its bytes can be read'),
    () => l10n.t('Restore it first (Restore… in the Buckets view, --restore on the command line); checks by CRC-64 need no restore.'),
  ),
  'restore-in-progress': stateWords(
    () => l10n.t('A restore of the object is already running'),
    () => l10n.t('Wait for it to finish; its state shows on the object.'),
  ),
  'not-archived': stateWords(
    () => l10n.t('The object is not in an archive storage class, so it needs no restore'),
    () => l10n.t('Read it directly.'),
  ),
  'customer-key-required': keyWords(
    () => l10n.t('The object is encrypted with a customer key (SSE-C): set it to check'),
    () => l10n.t("Set the profile's customer key (Set Customer Key…), or on the command line BUCKET_INTEGRITY_SSE_C_KEY."),
  ),
  'customer-key-wrong': keyWords(
    () => l10n.t('Wrong customer key: the customer key (SSE-C) is not the one the object was encrypted with'),
    () => l10n.t('Set the right customer key for the profile; the object cannot be read with another.'),
  ),
  'invalid-request': (f) => ({
    message: f.raw.serviceMessage
      ? l10n.t('{0} refused the request{1} while trying to {2}: {3}', f.cloud, f.codeSuffix, f.ctx.operation, f.raw.serviceMessage)
      : l10n.t('{0} refused the request{1} while trying to {2}.', f.cloud, f.codeSuffix, f.ctx.operation),
    hint: l10n.t('This is likely a bug or an unsupported object; report it with the request id.'),
  }),
  // Decided before any request (createObjectStore); never mapped from an answer, worded for completeness.
  'insecure-endpoint': stateWords(
    () => l10n.t('The endpoint is plain HTTP to a host that is not this machine'),
    () => l10n.t('Use an https:// endpoint.'),
  ),
  network: (f) => ({
    message: l10n.t('Could not reach {0}{1} while trying to {2}.', f.cloud, f.code ? ` (${f.code})` : '', f.ctx.operation),
    hint:
      f.ctx.defaultEndpoint && f.ctx.region && (f.code === 'ENOTFOUND' || f.code === 'EAI_AGAIN')
        ? l10n.t(
            'The host of region "{0}" was not found: the region may be misspelled (e.g. {1}); else check the network connection.',
            f.ctx.region,
            providerTraits(f.ctx.provider).regionExample,
          )
        : l10n.t('Check the network connection, proxy and {0}, then retry.', f.setting('endpoint')),
  }),
  timeout: ({ cloud, ctx }) => ({
    message: ctx.deadline
      ? ctx.deadline.attempts === 1
        ? l10n.t(
            '{0} did not answer within the {1} deadline (1 attempt) while trying to {2}.',
            cloud,
            seconds(ctx.deadline.ms),
            ctx.operation,
          )
        : l10n.t(
            '{0} did not answer within the {1} deadline ({2} attempts) while trying to {3}.',
            cloud,
            seconds(ctx.deadline.ms),
            ctx.deadline.attempts,
            ctx.operation,
          )
      : l10n.t('{0} did not answer in time while trying to {1}.', cloud, ctx.operation),
    hint: l10n.t('Retry later, or raise the request timeout and deadline if the network is slow.'),
  }),
  'not-supported': (f) => ({
    message: l10n.t('{0} has no such operation ({1}).', f.cloud, f.ctx.operation),
    hint: l10n.t('Use the other route this feature offers for this cloud.'),
  }),
  server: (f) => ({
    message: l10n.t(
      '{0} kept failing with a server error{1} while trying to {2}, even after retries.',
      f.cloud,
      f.codeSuffix,
      f.ctx.operation,
    ),
    hint: l10n.t('The service is having trouble; retry in a few minutes.'),
  }),
  'malformed-response': (f) => ({
    message: l10n.t('{0} sent a response that could not be understood while trying to {1}.', f.cloud, f.ctx.operation),
    hint: l10n.t('Check that {0} points at a real COS/OSS service.', f.setting('endpoint')),
  }),
};

/** `the region of profile "p"`, or `the region` where no profile is (the CLI). */
function settingWords(what: 'region' | 'endpoint', profileName: string | undefined): string {
  if (what === 'region') return profileName ? l10n.t('the region of profile "{0}"', profileName) : l10n.t('the region');
  return profileName ? l10n.t('the endpoint of profile "{0}"', profileName) : l10n.t('the endpoint');
}

/** Build the user-facing error for one failed call. */
export function toStorageError(raw: RawFailure, ctx: FailureContext): StorageError {
  const kind = ctx.kind ?? classify(raw, ctx);
  const code = raw.code && !/^\d+$/.test(raw.code) ? raw.code : undefined;
  const facts: Facts = {
    raw,
    ctx,
    cloud: ctx.provider.toUpperCase(),
    profile: ctx.profileName ? l10n.t(' of profile "{0}"', ctx.profileName) : l10n.t(' (or {0})', envNames(ctx.provider)),
    setting: (what) => settingWords(what, ctx.profileName),
    code,
    codeSuffix: code ? ` (${code})` : raw.status ? ` (HTTP ${raw.status})` : '',
  };
  const { message, hint } = WORDS[kind](facts);
  return new StorageError(
    kind,
    redact(message, ctx.secrets),
    redact(hint, ctx.secrets),
    code,
    raw.requestId ? redact(raw.requestId, ctx.secrets) : undefined,
    raw.status && raw.status > 0 ? raw.status : undefined,
  );
}

/** Pull `<Code>`, `<Message>` and `<RequestId>` out of an XML error body without a parser dependency. */
export function parseXmlError(body: string | undefined): { code?: string; message?: string; requestId?: string } {
  if (!body) return {};
  const pick = (tag: string): string | undefined => {
    const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body);
    return m?.[1];
  };
  return { code: pick('Code'), message: pick('Message'), requestId: pick('RequestId') };
}
