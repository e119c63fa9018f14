import { createHash } from 'node:crypto';
import type { RequestContext } from '../context';
import { EmulatorError } from '../errors';
import { readSmallBody } from '../request';
import type { ObjectMeta, UploadMeta } from '../store';
import type { DialectName } from '../types';
import { child, parseXml } from '../xml';

/**
 * What an object is beyond its bytes: its storage class and the restore of an archived one, and its
 * server-side encryption with a customer key (SSE-C). Kept apart from the object calls so each check is
 * one line there.
 */

/** Storage classes each service accepts on a write, as it spells them. */
const CLASSES: Record<DialectName, readonly string[]> = {
  cos: [
    'STANDARD',
    'STANDARD_IA',
    'ARCHIVE',
    'DEEP_ARCHIVE',
    'INTELLIGENT_TIERING',
    'MAZ_STANDARD',
    'MAZ_STANDARD_IA',
    'MAZ_INTELLIGENT_TIERING',
  ],
  oss: ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'],
};

/** The classes whose objects cannot be read until restored. */
const ARCHIVE: Record<DialectName, readonly string[]> = {
  cos: ['ARCHIVE', 'DEEP_ARCHIVE'],
  oss: ['Archive', 'ColdArchive', 'DeepColdArchive'],
};

/** How long a restore takes and how long one of its "days" lasts here, in ms (set per emulator). */
export interface RestoreTiming {
  delayMs: number;
  dayMs: number;
}

export function storageClassOf(ctx: RequestContext, m: ObjectMeta): string {
  return m.userMeta[ctx.dialect.header('storage-class')] ?? ctx.dialect.storageClass;
}

/** A write's storage class header, refused when the service has no such class. */
export function checkStorageClass(ctx: RequestContext): void {
  const value = ctx.header(ctx.dialect.header('storage-class'));
  if (value !== undefined && !CLASSES[ctx.dialect.name].includes(value)) {
    throw new EmulatorError(400, 'InvalidStorageClass', 'The storage class you specified is not valid.');
  }
}

type RestorePhase = 'archived' | 'ongoing' | 'restored';

function phase(ctx: RequestContext, m: ObjectMeta, now = Date.now()): RestorePhase | undefined {
  if (!ARCHIVE[ctx.dialect.name].includes(storageClassOf(ctx, m))) return undefined;
  const r = m.restore;
  if (!r || now >= r.expiresAt) return 'archived';
  return now < r.readyAt ? 'ongoing' : 'restored';
}

/** `x-cos-restore` / `x-oss-restore` on HEAD and GET, while a restore is running or its copy readable. */
export function restoreHeaders(ctx: RequestContext, m: ObjectMeta): Record<string, string> {
  const p = phase(ctx, m);
  const name = ctx.dialect.header('restore');
  if (p === 'ongoing') return { [name]: 'ongoing-request="true"' };
  if (p === 'restored') return { [name]: `ongoing-request="false", expiry-date="${new Date(m.restore!.expiresAt).toUTCString()}"` };
  return {};
}

/** GET, and a copy from, an archived object that is not restored: the service's 403 InvalidObjectState. */
export function checkReadable(ctx: RequestContext, m: ObjectMeta): void {
  const p = phase(ctx, m);
  if (p !== 'archived' && p !== 'ongoing') return;
  // As documented: COS "GET Object" example (vendor-examples/errors.md), OSS error 0016-00000404.
  if (ctx.dialect.name === 'cos') {
    throw new EmulatorError(403, 'InvalidObjectState', 'The operation is not valid for the object storage class.', {
      'x-cos-storage-class': storageClassOf(ctx, m),
    });
  }
  throw new EmulatorError(403, 'InvalidObjectState', "The operation is not valid for the object's state", {}, '0016-00000404');
}

/** POST Object restore (COS) / RestoreObject (OSS). */
export async function restoreObject(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const m = ctx.object(b, ctx.key);
  const text = await readSmallBody(ctx.req);
  let days = 1;
  if (text.trim()) {
    let root;
    try {
      root = parseXml(text);
    } catch {
      throw new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
    }
    const d = child(root, 'Days')?.text.trim();
    if (d !== undefined) {
      days = Number(d);
      if (!Number.isInteger(days) || days < 1 || days > 365)
        throw new EmulatorError(400, 'InvalidArgument', 'The Days of the restore request is not valid.');
    }
  } else if (ctx.dialect.name === 'cos') {
    throw new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
  }
  const p = phase(ctx, m);
  if (p === undefined) {
    if (ctx.dialect.name === 'cos')
      throw new EmulatorError(403, 'InvalidObjectState', 'The operation is not valid for the object storage class.');
    throw new EmulatorError(400, 'OperationNotSupported', 'The operation is not supported for this resource.');
  }
  if (p === 'ongoing') throw new EmulatorError(409, 'RestoreAlreadyInProgress', 'Object restore is already in progress.');
  const timing = ctx.cfg.restore;
  const now = Date.now();
  if (p === 'restored') {
    // Asked again while readable: the copy stays readable longer, as both services document.
    m.restore = { ...m.restore!, expiresAt: now + days * timing.dayMs };
    await ctx.store.saveMeta(b, m);
    ctx.send(200, {});
    return;
  }
  const readyAt = now + timing.delayMs;
  m.restore = { readyAt, expiresAt: readyAt + days * timing.dayMs };
  await ctx.store.saveMeta(b, m);
  ctx.send(202, {});
}

// ------------------------------------------------------------ SSE-C

/** The customer-key headers of a request: the object's own, or (a copy) its source's. */
function customerKey(ctx: RequestContext, source: boolean): { algorithm?: string; key?: string; keyMd5?: string } {
  const base = source ? 'copy-source-server-side-encryption-customer-' : 'server-side-encryption-customer-';
  return {
    algorithm: ctx.serviceHeader(`${base}algorithm`),
    key: ctx.serviceHeader(`${base}key`),
    keyMd5: ctx.serviceHeader(`${base}key-MD5`.toLowerCase()),
  };
}

/** The MD5 of a base64 key, base64, as the `…-key-MD5` header carries it. */
function keyMd5(key: string): string {
  return createHash('md5').update(Buffer.from(key, 'base64')).digest('base64');
}

/** A write with a customer key: its algorithm and the MD5 of the key (never the key) to keep with the object. */
export function customerKeyOfWrite(ctx: RequestContext): ObjectMeta['sseC'] {
  const k = customerKey(ctx, false);
  if (k.algorithm === undefined && k.key === undefined) return undefined;
  if (k.algorithm !== 'AES256' || !k.key || Buffer.from(k.key, 'base64').length !== 32) {
    throw new EmulatorError(
      400,
      'InvalidArgument',
      'The server-side encryption with a customer key needs the AES256 algorithm and a 256-bit key.',
    );
  }
  const md5 = keyMd5(k.key);
  if (k.keyMd5 !== undefined && k.keyMd5 !== md5) {
    throw new EmulatorError(400, 'InvalidArgument', 'The calculated MD5 hash of the key did not match the hash that was provided.');
  }
  return { algorithm: k.algorithm, keyMd5: md5 };
}

/**
 * A refused customer key. COS documents one code for an SSE-C object read without its key: 400
 * `SsecDecryptHeaderInvalid`, "The source object is encrypted with SSE-C. Therefore, the same key should be
 * provided in the request header" (COS API "错误码" / "Error Codes", 4XX table: tencentyun/intlcloud-documents
 * @ 708197e5e978, `yehe_doc/基础存储服务/对象存储/API 文档/错误码_intl_zh.md`, and its `_intl_en.md` @ 5dcc48b517e4);
 * "the same key" covers a missing and a different key alike. OSS documents no SSE-C at all (its data
 * encryption page names SSE-KMS and SSE-OSS only; only some SDKs carry the `x-oss-…-customer-…` headers), so
 * OSS answers as S3 does for SSE-C: no key 400 `InvalidRequest`, another key 403 `AccessDenied`.
 */
function customerKeyRefused(ctx: RequestContext, wrong: boolean): EmulatorError {
  if (ctx.dialect.name === 'cos') {
    return new EmulatorError(
      400,
      'SsecDecryptHeaderInvalid',
      'The source object is encrypted with SSE-C. Therefore, the same key should be provided in the request header',
    );
  }
  if (!wrong) {
    return new EmulatorError(
      400,
      'InvalidRequest',
      'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
    );
  }
  return new EmulatorError(403, 'AccessDenied', 'The provided customer key does not match the key the object was encrypted with.');
}

/** A request's customer key against the one an object (or upload) was written with: refused unless the same. */
function checkKeyMatches(ctx: RequestContext, written: NonNullable<ObjectMeta['sseC']>, source: boolean): void {
  const k = customerKey(ctx, source);
  if (!k.key) throw customerKeyRefused(ctx, false);
  if (keyMd5(k.key) !== written.keyMd5) throw customerKeyRefused(ctx, true);
}

/** HEAD, GET or a copy from an object written with a customer key: the same key must come with it. */
export function checkCustomerKey(ctx: RequestContext, m: ObjectMeta, source = false): void {
  if (m.sseC) checkKeyMatches(ctx, m.sseC, source);
}

/**
 * Upload Part of a multipart upload. Started with a customer key, every part must carry the same key;
 * started without one, a part may not carry one. COS "Upload Part": "如果当前分块上传在初始化时使用了 SSE-C，
 * 那么在上传分块时需指定与初始化分块上传时所指定的加密算法和密钥信息，否则不能指定下列头部" (if the upload was
 * initiated with SSE-C, each part must give the same algorithm and key; otherwise these headers may not be
 * given; intlcloud-documents @ 5dcc48b517e4, `Object 接口/分块上传/Upload Part_intl_zh.md`). A header that may
 * not be given is COS's 400 `SSEHeaderNotAllowed` ("The operation does not support the specified SSE header",
 * the same error-code table). A part copy carries only the source's key (cos-go-sdk-v5 `ObjectCopyPartOptions`
 * has no other SSE-C field), so it is not checked here.
 */
export function checkPartCustomerKey(ctx: RequestContext, u: UploadMeta): void {
  if (u.sseC) {
    checkKeyMatches(ctx, u.sseC, false);
    return;
  }
  const k = customerKey(ctx, false);
  if (k.algorithm === undefined && k.key === undefined) return;
  if (ctx.dialect.name === 'cos')
    throw new EmulatorError(400, 'SSEHeaderNotAllowed', 'The operation does not support the specified SSE header');
  throw new EmulatorError(400, 'InvalidArgument', 'The multipart upload was not initiated with a customer key.');
}

/** The SSE-C headers HEAD, GET and the writes repeat: the algorithm and the key's MD5. */
export function customerKeyHeaders(ctx: RequestContext, m: Pick<ObjectMeta, 'sseC'>): Record<string, string> {
  if (!m.sseC) return {};
  return {
    [ctx.dialect.header('server-side-encryption-customer-algorithm')]: m.sseC.algorithm,
    [ctx.dialect.header('server-side-encryption-customer-key-MD5')]: m.sseC.keyMd5,
  };
}
