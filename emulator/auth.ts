import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { EmulatorError } from './errors';
import type { Account, DialectName } from './types';

/**
 * Signature checks, written from the signing code of the SDKs (cos-nodejs-sdk-v5 `util.getAuth`,
 * ali-oss `signUtils`), so that what the real clients send verifies and anything else is rejected.
 */

export interface SignedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** Query parameters in arrival order, decoded; `hasEquals` tells `k=` from bare `k`. */
  query: Array<{ key: string; value: string; hasEquals: boolean }>;
  bucket?: string;
  /** Decoded object key ('' for bucket and service requests). */
  key: string;
}

export interface AccountBook {
  find(dialect: DialectName, id: string): Account | undefined;
}

/** How far a request's date may be from the server's clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * A header as the client signed it. Node hands header bytes over as latin1 characters; the SDKs sign the
 * UTF-8 text those bytes are (ali-oss `headerEncoding: 'latin1'` sends `x-oss-meta-name: 阿达` as its
 * UTF-8 bytes and signs the same bytes), so the bytes are read back as UTF-8 before signing.
 */
function signedHeader(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = header(h, name);
  return v === undefined ? undefined : Buffer.from(v, 'latin1').toString('utf8');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The STS token a request carries: a header, or a query parameter in a presigned URL. */
function tokenOf(dialect: DialectName, req: Pick<SignedRequest, 'headers' | 'query'>): string | undefined {
  const fromQuery = req.query.find((q) => q.key === (dialect === 'cos' ? 'x-cos-security-token' : 'security-token'))?.value;
  return header(req.headers, `x-${dialect}-security-token`) ?? fromQuery;
}

function checkToken(dialect: DialectName, acct: Account, req: Pick<SignedRequest, 'headers' | 'query'>): void {
  if (!acct.token) return;
  const sent = tokenOf(dialect, req);
  if (!sent || !safeEqual(sent, acct.token)) {
    throw new EmulatorError(403, 'InvalidSecurityToken', 'The security token included in the request is invalid.');
  }
}

// ---------------------------------------------------------------- COS

function camSafeUrlEncode(str: string): string {
  return encodeURIComponent(str)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

/** Verify a COS `q-sign-algorithm=sha1` Authorization header; returns the account. */
export function verifyCos(req: SignedRequest, auth: string, book: AccountBook, now = Date.now()): Account {
  const fields = new Map<string, string>();
  for (const part of auth.split('&')) {
    const i = part.indexOf('=');
    if (i > 0) fields.set(part.slice(0, i), part.slice(i + 1));
  }
  const ak = fields.get('q-ak');
  const signTime = fields.get('q-sign-time');
  const keyTime = fields.get('q-key-time');
  const headerList = fields.get('q-header-list');
  const paramList = fields.get('q-url-param-list');
  const signature = fields.get('q-signature');
  if (
    fields.get('q-sign-algorithm') !== 'sha1' ||
    !ak ||
    !signTime ||
    !keyTime ||
    headerList === undefined ||
    paramList === undefined ||
    !signature
  ) {
    throw new EmulatorError(403, 'AccessDenied', 'Authorization header is malformed.');
  }
  const acct = book.find('cos', ak);
  if (!acct) throw new EmulatorError(403, 'InvalidAccessKeyId', 'The access key Id format you provided is invalid.');
  const [start, end] = signTime.split(';').map(Number);
  const nowSec = Math.floor(now / 1000);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new EmulatorError(403, 'AccessDenied', 'Authorization header is malformed.');
  if (end < nowSec) throw new EmulatorError(403, 'AccessDenied', 'Request has expired');
  if (start > nowSec + MAX_SKEW_MS / 1000)
    throw new EmulatorError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the server time is too large.');

  const names = headerList ? headerList.split(';') : [];
  const headerStr = names
    .map((n) => {
      const raw = signedHeader(req.headers, decodeURIComponent(n)) ?? '';
      return `${n}=${camSafeUrlEncode(raw)}`;
    })
    .join('&');
  const params = new Map<string, string>();
  for (const q of req.query) params.set(camSafeUrlEncode(q.key).toLowerCase(), camSafeUrlEncode(q.value));
  const paramNames = paramList ? paramList.split(';') : [];
  const paramStr = paramNames.map((n) => `${n}=${params.get(n) ?? ''}`).join('&');
  const pathname = `/${req.key}`;
  const formatString = [req.method.toLowerCase(), pathname, paramStr, headerStr, ''].join('\n');
  const digest = createHash('sha1').update(Buffer.from(formatString, 'utf8')).digest('hex');
  const stringToSign = ['sha1', signTime, digest, ''].join('\n');
  const signKey = createHmac('sha1', acct.secret).update(keyTime).digest('hex');
  const expected = createHmac('sha1', signKey).update(stringToSign).digest('hex');
  if (!safeEqual(expected, signature)) {
    throw new EmulatorError(403, 'SignatureDoesNotMatch', 'The Signature you specified does not match what we calculated.');
  }
  checkToken('cos', acct, req);
  return acct;
}

/**
 * A COS presigned URL carries the Authorization fields as query parameters (`?q-sign-algorithm=sha1&q-ak=…`,
 * COS "Request signature"): they are checked exactly as the header form. Undefined when the query has none.
 */
export function cosQueryAuthorization(query: SignedRequest['query']): string | undefined {
  if (!query.some((q) => q.key === 'q-sign-algorithm')) return undefined;
  return query
    .filter((q) => q.key.startsWith('q-'))
    .map((q) => `${q.key}=${q.value}`)
    .join('&');
}

// ---------------------------------------------------------------- OSS

/** Query parameters that OSS V1 signs (sub-resources); all others are left out of the string to sign. */
const OSS_SUBRESOURCES = new Set([
  'acl',
  'append',
  'asyncFetch',
  'bucketInfo',
  'callback',
  'callback-var',
  'cname',
  'comp',
  'continuation-token',
  'cors',
  'delete',
  'encryption',
  'endTime',
  'img',
  'inventory',
  'inventoryId',
  'lifecycle',
  'live',
  'location',
  'logging',
  'objectMeta',
  'partNumber',
  'policy',
  'position',
  'qos',
  'qosInfo',
  'referer',
  'replication',
  'replicationLocation',
  'replicationProgress',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'security-token',
  'sequential',
  'startTime',
  'stat',
  'status',
  'style',
  'styleName',
  'symlink',
  'tagging',
  'udf',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'vod',
  'website',
  'worm',
  'wormExtend',
  'wormId',
  'x-oss-process',
  'x-oss-traffic-limit',
]);

function ossCanonicalHeaders(headers: IncomingHttpHeaders): string[] {
  return Object.keys(headers)
    .filter((k) => k.startsWith('x-oss-'))
    .sort()
    .map((k) => `${k}:${(signedHeader(headers, k) ?? '').trim()}`);
}

function checkDate(dateText: string | undefined, parse: (s: string) => number, now: number): void {
  if (!dateText) throw new EmulatorError(403, 'AccessDenied', 'Missing date header.');
  const t = parse(dateText);
  if (!Number.isFinite(t)) throw new EmulatorError(403, 'AccessDenied', 'Invalid date header.');
  if (Math.abs(t - now) > MAX_SKEW_MS) {
    throw new EmulatorError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  }
}

/** Verify `OSS ak:signature` (V1, HMAC-SHA1). */
export function verifyOssV1(req: SignedRequest, auth: string, book: AccountBook, now = Date.now()): Account {
  const m = /^OSS ([^:]+):(.+)$/.exec(auth);
  if (!m) throw new EmulatorError(400, 'InvalidArgument', 'Authorization header is invalid.');
  const acct = book.find('oss', m[1]);
  if (!acct) throw new EmulatorError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.');
  const date = header(req.headers, 'x-oss-date') ?? header(req.headers, 'date');
  checkDate(date, (s) => Date.parse(s), now);
  checkOssV1(req, acct, date ?? '', m[2]);
  return acct;
}

/** The V1 string to sign (its date line: the Date header, or a signed URL's Expires), checked against `signature`. */
function checkOssV1(req: SignedRequest, acct: Account, dateLine: string, signature: string): void {
  const sub = req.query.filter((q) => OSS_SUBRESOURCES.has(q.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let resource = `/${req.bucket ? `${req.bucket}/` : ''}${req.key}`;
  if (sub.length) resource += `?${sub.map((q) => (q.value ? `${q.key}=${q.value}` : q.key)).join('&')}`;
  const lines = [
    req.method.toUpperCase(),
    header(req.headers, 'content-md5') ?? '',
    header(req.headers, 'content-type') ?? '',
    dateLine,
    ...ossCanonicalHeaders(req.headers),
    resource,
  ];
  const expected = createHmac('sha1', acct.secret)
    .update(Buffer.from(lines.join('\n'), 'utf8'))
    .digest('base64');
  if (!safeEqual(expected, signature)) {
    throw new EmulatorError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
  checkToken('oss', acct, req);
}

/**
 * A V1 signature in the URL (`?OSSAccessKeyId=…&Expires=…&Signature=…`, OSS "Add signatures to URLs"):
 * the string to sign has `Expires` (epoch seconds) where the header form has the date, and the URL stops
 * working after it.
 */
export function verifyOssV1Query(req: SignedRequest, book: AccountBook, now = Date.now()): Account {
  const get = (k: string): string | undefined => req.query.find((q) => q.key === k)?.value;
  const ak = get('OSSAccessKeyId');
  const expires = get('Expires');
  const signature = get('Signature');
  if (!ak || !expires || !signature)
    throw new EmulatorError(403, 'AccessDenied', 'Signature, OSSAccessKeyId and Expires are all needed in a signed URL.');
  const acct = book.find('oss', ak);
  if (!acct) throw new EmulatorError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.');
  const until = Number(expires);
  if (!Number.isInteger(until)) throw new EmulatorError(403, 'AccessDenied', 'Expires is not a number of seconds.');
  if (until * 1000 < now) throw new EmulatorError(403, 'AccessDenied', 'Request has expired.');
  checkOssV1(req, acct, expires, signature);
  return acct;
}

function encodeString(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseV4Date(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** Verify `OSS4-HMAC-SHA256 Credential=…,AdditionalHeaders=…,Signature=…` (V4). */
export function verifyOssV4(req: SignedRequest, auth: string, book: AccountBook, now = Date.now()): Account {
  const body = auth.slice('OSS4-HMAC-SHA256 '.length);
  const fields = new Map<string, string>();
  for (const part of body.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) fields.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  const cred = credential?.split('/');
  if (!cred || cred.length !== 5 || !signature || cred[4] !== 'aliyun_v4_request') {
    throw new EmulatorError(400, 'InvalidArgument', 'Authorization header is invalid.');
  }
  const [ak, day, region, product] = cred;
  const acct = book.find('oss', ak);
  if (!acct) throw new EmulatorError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.');
  const date = header(req.headers, 'x-oss-date');
  checkDate(date, parseV4Date, now);
  if (!date!.startsWith(day)) throw new EmulatorError(403, 'SignatureDoesNotMatch', 'The credential date does not match x-oss-date.');
  const additional = (fields.get('AdditionalHeaders') ?? '').split(';').filter(Boolean);
  const uri = encodeString(`/${req.bucket ? `${req.bucket}/` : ''}${req.key}`).replace(/%2F/g, '/');
  const headerNames = new Set(additional);
  for (const k of Object.keys(req.headers)) {
    if (k === 'content-type' || k === 'content-md5' || k.startsWith('x-oss-')) headerNames.add(k);
  }
  const canonicalHeaders = [...headerNames]
    .sort()
    .map((k) => `${k}:${(signedHeader(req.headers, k) ?? '').trim()}\n`)
    .join('');
  const sorted = [...req.query].sort((a, b) => a.key.localeCompare(b.key));
  // An empty value may have been signed as `k=` or as bare `k` (ali-oss signs sub-resources as bare keys).
  const styles: Array<(q: { key: string; value: string }) => string> = [
    (q) => (q.value === '' && OSS_SUBRESOURCES.has(q.key) ? encodeString(q.key) : `${encodeString(q.key)}=${encodeString(q.value)}`),
    (q) => (q.value === '' ? encodeString(q.key) : `${encodeString(q.key)}=${encodeString(q.value)}`),
    (q) => `${encodeString(q.key)}=${encodeString(q.value)}`,
  ];
  const day8 = date!.split('T')[0];
  const signingDate = createHmac('sha256', `aliyun_v4${acct.secret}`).update(day8).digest();
  const signingRegion = createHmac('sha256', signingDate).update(region).digest();
  const signingProduct = createHmac('sha256', signingRegion).update(product).digest();
  const signingKey = createHmac('sha256', signingProduct).update('aliyun_v4_request').digest();
  const tried = new Set<string>();
  for (const style of styles) {
    const canonicalQuery = sorted.map(style).join('&');
    if (tried.has(canonicalQuery)) continue;
    tried.add(canonicalQuery);
    const canonicalRequest = [
      req.method.toUpperCase(),
      uri,
      canonicalQuery,
      canonicalHeaders,
      additional.join(';'),
      header(req.headers, 'x-oss-content-sha256') || 'UNSIGNED-PAYLOAD',
    ].join('\n');
    const stringToSign = [
      'OSS4-HMAC-SHA256',
      date,
      `${day8}/${region}/${product}/aliyun_v4_request`,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const expected = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
    if (safeEqual(expected, signature)) {
      checkToken('oss', acct, req);
      return acct;
    }
  }
  throw new EmulatorError(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );
}

// ---------------------------------------------------------------- accounts

export function accountKey(dialect: DialectName, id: string): string {
  return `${dialect}:${id}`;
}

export function addAccount(accounts: Map<string, Account>, dialect: DialectName, a: Account): void {
  if (!a.id || !a.secret) throw new Error('an account needs id and secret');
  accounts.set(accountKey(dialect, a.id), { ...a, owner: a.owner ?? 'main' });
}

// ---------------------------------------------------------------- AWS Signature V4 (S3-compatible API)

/** Whether a request is signed with AWS Signature V4, in the Authorization header or the query (presigned). */
export function isAwsV4(authorization: string, query: ReadonlyArray<{ key: string }>): boolean {
  return authorization.startsWith('AWS4-HMAC-SHA256') || query.some((q) => q.key === 'X-Amz-Algorithm');
}

/** The access key id of an AWS V4 request, to tell which service's account signed it. */
export function awsV4AccessKey(authorization: string, query: ReadonlyArray<{ key: string; value: string }>): string | undefined {
  const credential = authorization
    ? /Credential=([^/,\s]+)\//.exec(authorization)?.[1]
    : query.find((q) => q.key === 'X-Amz-Credential')?.value.split('/')[0];
  return credential || undefined;
}

/** RFC 3986 unreserved characters stay, everything else is %XX of its UTF-8 bytes (AWS `UriEncode`). */
function awsEncode(s: string, keepSlash = false): string {
  const out = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? out.replace(/%2F/g, '/') : out;
}

function parseAmzDate(s: string): number {
  return parseV4Date(s);
}

/**
 * Verify AWS Signature V4 (`AWS4-HMAC-SHA256`), as both services accept on their S3-compatible API
 * (COS "使用 AWS S3 SDK 访问 COS", https://cloud.tencent.com/document/product/436/37421; OSS "使用 Amazon S3 SDK
 * 访问 OSS", https://help.aliyun.com/zh/oss/developer-reference/use-amazon-s3-sdks-to-access-oss), in the
 * Authorization header or a presigned query (`X-Amz-Signature`), path or virtual-host style. Written from
 * AWS's "Signature Version 4 signing process" (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 * The payload hash is taken as the client declares it (`x-amz-content-sha256`), not checked against the body.
 * `path` is the request path as sent (before decoding).
 */
export function verifyAwsV4(
  req: SignedRequest,
  authorization: string,
  path: string,
  dialect: DialectName,
  book: AccountBook,
  now = Date.now(),
): Account {
  const presigned = !authorization.startsWith('AWS4-HMAC-SHA256');
  const q = new Map(req.query.map((i) => [i.key, i.value]));
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let amzDate: string | undefined;
  if (presigned) {
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
      throw new EmulatorError(400, 'InvalidArgument', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
    credential = q.get('X-Amz-Credential');
    signedHeaders = q.get('X-Amz-SignedHeaders');
    signature = q.get('X-Amz-Signature');
    amzDate = q.get('X-Amz-Date');
  } else {
    const fields = new Map<string, string>();
    for (const part of authorization.slice('AWS4-HMAC-SHA256'.length).split(',')) {
      const i = part.indexOf('=');
      if (i > 0) fields.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
    }
    credential = fields.get('Credential');
    signedHeaders = fields.get('SignedHeaders');
    signature = fields.get('Signature');
    amzDate = header(req.headers, 'x-amz-date');
  }
  const cred = credential?.split('/');
  if (!cred || cred.length !== 5 || cred[4] !== 'aws4_request' || !signedHeaders || !signature || !amzDate) {
    throw new EmulatorError(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  }
  const [ak, day, region, service] = cred;
  const acct = book.find(dialect, ak);
  if (!acct) throw new EmulatorError(403, 'InvalidAccessKeyId', 'The access key Id you provided does not exist in our records.');
  const t = parseAmzDate(amzDate);
  if (!Number.isFinite(t) || !amzDate.startsWith(day)) throw new EmulatorError(403, 'AccessDenied', 'The request date is not valid.');
  if (presigned) {
    const expires = Number(q.get('X-Amz-Expires') ?? '');
    if (!Number.isInteger(expires) || expires < 1 || expires > 604800)
      throw new EmulatorError(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be 1-604800 seconds.');
    if (now > t + expires * 1000) throw new EmulatorError(403, 'AccessDenied', 'Request has expired');
    if (t > now + MAX_SKEW_MS)
      throw new EmulatorError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  } else if (Math.abs(t - now) > MAX_SKEW_MS) {
    throw new EmulatorError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  }
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(path);
  } catch {
    throw new EmulatorError(400, 'InvalidURI', 'Could not parse the specified URI.');
  }
  const canonicalUri = awsEncode(decodedPath || '/', true);
  const canonicalQuery = req.query
    .filter((i) => !(presigned && i.key === 'X-Amz-Signature'))
    .map((i) => [awsEncode(i.key), awsEncode(i.value)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = signedHeaders.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${(signedHeader(req.headers, n) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payload = presigned
    ? (header(req.headers, 'x-amz-content-sha256') ?? 'UNSIGNED-PAYLOAD')
    : (header(req.headers, 'x-amz-content-sha256') ?? '');
  const canonicalRequest = [req.method.toUpperCase(), canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payload].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    `${day}/${region}/${service}/aws4_request`,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const kDate = createHmac('sha256', `AWS4${acct.secret}`).update(day).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const kSigning = createHmac('sha256', kService).update('aws4_request').digest();
  const expected = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  if (!safeEqual(expected, signature)) {
    throw new EmulatorError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
  const token = header(req.headers, 'x-amz-security-token') ?? q.get('X-Amz-Security-Token');
  if (acct.token && (!token || !safeEqual(token, acct.token))) {
    throw new EmulatorError(403, 'InvalidSecurityToken', 'The security token included in the request is invalid.');
  }
  return acct;
}
