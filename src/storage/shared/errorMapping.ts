import type { ProviderKind } from '../types';
import { StorageError, type StorageErrorKind } from '../errors';

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
  /** Strings that must never appear in a message (secrets, tokens). */
  secrets: readonly string[];
  /** Set when the call's total deadline, not one attempt's timeout, ended it. */
  deadline?: { ms: number; attempts: number };
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

function classify(raw: RawFailure): StorageErrorKind {
  const code = raw.code ?? '';
  if (raw.timedOut || TIMEOUT_CODES.has(code)) return 'timeout';
  if (raw.malformed) return 'malformed-response';
  if (raw.status === undefined || raw.status <= 0) {
    return raw.networkError || NETWORK_CODES.has(code) || raw.status !== undefined ? 'network' : 'malformed-response';
  }
  if (CREDENTIAL_CODES.has(code)) return 'credentials';
  if (code === 'NoSuchBucket') return 'no-such-bucket';
  if (code === 'NoSuchKey') return 'no-such-key';
  if (code === 'NoSuchUpload') return 'no-such-upload';
  if (code === 'PreconditionFailed' || raw.status === 412) return 'precondition-failed';
  if (code === 'PositionNotEqualToLength') return 'position-conflict';
  if (code === 'NoSuchInventory' || code === 'NoSuchInventoryConfiguration') return 'no-such-inventory';
  if (code === 'AccessDenied' || raw.status === 403) return 'access-denied';
  if (raw.status === 404) return 'no-such-key';
  if (raw.status >= 500) return 'server';
  if (raw.status >= 400) return 'invalid-request';
  return 'malformed-response';
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Build the user-facing error for one failed call. */
export function toStorageError(raw: RawFailure, ctx: FailureContext): StorageError {
  const kind = ctx.kind ?? classify(raw);
  const cloud = ctx.provider.toUpperCase();
  const profile = ctx.profileName ? ` of profile "${ctx.profileName}"` : ` (or ${envNames(ctx.provider)})`;
  const code = raw.code && !/^\d+$/.test(raw.code) ? raw.code : undefined;
  const codeSuffix = code ? ` (${code})` : raw.status ? ` (HTTP ${raw.status})` : '';
  let message: string;
  let hint: string;
  switch (kind) {
    case 'credentials':
      message = `${cloud} rejected the credentials${codeSuffix} while trying to ${ctx.operation}.`;
      hint =
        code === 'RequestTimeTooSkewed'
          ? 'The computer clock is off; correct the system time and retry.'
          : `Check the ${keyNames(ctx.provider)}${profile}${code === 'InvalidSecurityToken' || code === 'ExpiredToken' || code === 'SecurityTokenExpired' ? ' and renew the session token' : ''}.`;
      break;
    case 'access-denied':
      message = `${cloud} denied access${codeSuffix} while trying to ${ctx.operation}.`;
      hint = `Check that the keys${profile} are correct and are allowed this operation on the bucket.`;
      break;
    case 'no-such-bucket':
      message = `Bucket "${ctx.bucket ?? '?'}" does not exist${codeSuffix}.`;
      hint =
        ctx.provider === 'cos'
          ? 'Check the bucket name (COS names end with -<APPID>) and the region of the profile.'
          : 'Check the bucket name and the region of the profile.';
      break;
    case 'no-such-key':
      message = `The object does not exist${codeSuffix} (${ctx.operation}).`;
      hint = 'Refresh the listing; the object may have been deleted or renamed.';
      break;
    case 'no-such-upload':
      message = `The multipart upload no longer exists${codeSuffix} (${ctx.operation}).`;
      hint = 'It was completed or aborted elsewhere; start the upload again.';
      break;
    case 'invalid-request':
      message = `${cloud} refused the request${codeSuffix} while trying to ${ctx.operation}${raw.serviceMessage ? `: ${raw.serviceMessage}` : '.'}`;
      hint = 'This is likely a bug or an unsupported object; report it with the request id.';
      break;
    case 'network':
      message = `Could not reach ${cloud}${raw.code && !/^\d+$/.test(raw.code) ? ` (${raw.code})` : ''} while trying to ${ctx.operation}.`;
      hint = 'Check the network connection, proxy and the endpoint of the profile, then retry.';
      break;
    case 'timeout':
      message = ctx.deadline
        ? `${cloud} did not answer within the ${seconds(ctx.deadline.ms)} deadline (${ctx.deadline.attempts} attempt${ctx.deadline.attempts === 1 ? '' : 's'}) while trying to ${ctx.operation}.`
        : `${cloud} did not answer in time while trying to ${ctx.operation}.`;
      hint = 'Retry later, or raise the request timeout and deadline if the network is slow.';
      break;
    case 'precondition-failed':
      message = `The source changed since it was read${codeSuffix} (${ctx.operation}).`;
      hint = 'Read the source again (its ETag changed) and repeat the operation.';
      break;
    case 'no-such-inventory':
      message = `The inventory configuration does not exist${codeSuffix} (${ctx.operation}).`;
      hint = 'Check the inventory id; list the bucket\'s inventories to see which exist.';
      break;
    case 'not-supported':
      message = `${cloud} has no such operation (${ctx.operation}).`;
      hint = 'Use the other route this feature offers for this cloud.';
      break;
    case 'position-conflict':
      message = `The object is no longer as long as expected${codeSuffix} (${ctx.operation}).`;
      hint = 'Another writer appended to it; read its current length and append from there.';
      break;
    case 'server':
      message = `${cloud} kept failing with a server error${codeSuffix} while trying to ${ctx.operation}, even after retries.`;
      hint = 'The service is having trouble; retry in a few minutes.';
      break;
    case 'malformed-response':
      message = `${cloud} sent a response that could not be understood while trying to ${ctx.operation}.`;
      hint = 'Check that the endpoint of the profile points at a real COS/OSS service.';
      break;
  }
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
