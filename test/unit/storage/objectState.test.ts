import { describe, expect, it } from 'vitest';
import {
  canReadBytes,
  customerKeyHeaders,
  customerKeyProblem,
  encryptionLabel,
  isArchiveClass,
  parseRestoreHeader,
  readability,
  stateFromHeaders,
} from '../../../src/storage/objectState';
import { toStorageError } from '../../../src/storage/shared/errorMapping';

/**
 * Reading an object's restore state and encryption. The header values are the services' documented
 * forms: `ongoing-request="true"`, and `ongoing-request="false", expiry-date="Fri, 23 Dec 2012 00:00:00 GMT"`
 * (OSS HeadObject, COS HEAD Object).
 */

describe('object state', () => {
  it('knows the archive classes of both services and nothing else', () => {
    for (const c of ['ARCHIVE', 'DEEP_ARCHIVE', 'Archive', 'ColdArchive', 'DeepColdArchive']) expect(isArchiveClass(c), c).toBe(true);
    for (const c of ['STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'Standard', 'IA', 'archive', '', undefined])
      expect(isArchiveClass(c), String(c)).toBe(false);
  });

  it('reads the restore header as documented', () => {
    expect(parseRestoreHeader('ongoing-request="true"')).toEqual({ ongoing: true, expiry: undefined });
    expect(parseRestoreHeader('ongoing-request="false", expiry-date="Fri, 23 Dec 2012 00:00:00 GMT"')).toEqual({
      ongoing: false,
      expiry: new Date(Date.UTC(2012, 11, 23)),
    });
    expect(parseRestoreHeader(undefined)).toBeUndefined();
  });

  it('an archived object is readable only while a finished restore has not expired', () => {
    const now = Date.UTC(2026, 0, 1);
    const later = new Date(now + 1000);
    const earlier = new Date(now - 1000);
    expect(readability({ storageClass: 'STANDARD' }, now)).toBe('readable');
    expect(readability({ storageClass: 'ARCHIVE' }, now)).toBe('archived');
    expect(readability({ storageClass: 'ARCHIVE', restore: { ongoing: true } }, now)).toBe('restoring');
    expect(readability({ storageClass: 'Archive', restore: { ongoing: false, expiry: later } }, now)).toBe('restored');
    expect(readability({ storageClass: 'Archive', restore: { ongoing: false, expiry: earlier } }, now)).toBe('archived');
    expect(canReadBytes({ storageClass: 'ColdArchive', restore: { ongoing: true } }, now)).toBe(false);
  });

  it('names the encryption from the headers; a customer key wins over the plain header', () => {
    expect(stateFromHeaders({ 'x-oss-server-side-encryption': 'KMS' }, 'x-oss-')).toEqual({ encryption: 'KMS' });
    expect(
      stateFromHeaders({ 'x-cos-server-side-encryption-customer-algorithm': 'AES256', 'x-cos-server-side-encryption': 'AES256' }, 'x-cos-'),
    ).toEqual({ encryption: 'SSE-C' });
    expect(stateFromHeaders({}, 'x-cos-')).toEqual({});
    expect(encryptionLabel('cos/kms')).toBe('SSE-KMS (cos/kms)');
    expect(encryptionLabel('AES256')).toBe('server-side (AES256)');
  });

  it('checks a customer key without repeating it, and sends the MD5 of its bytes', () => {
    const key = Buffer.alloc(32, 0x61).toString('base64'); // 32 × "a"
    expect(customerKeyProblem(key)).toBeUndefined();
    const bad = 'c2hvcnQ=';
    expect(customerKeyProblem(bad)).toMatch(/32 bytes/);
    expect(customerKeyProblem(bad)).not.toContain(bad);
    const h = customerKeyHeaders('x-oss-', key);
    expect(h['x-oss-server-side-encryption-customer-algorithm']).toBe('AES256');
    // `echo -n aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | md5sum` (GNU coreutils): 5eca9bd3eb07c006cd43ae48dfde7fd3.
    expect(Buffer.from(h['x-oss-server-side-encryption-customer-key-MD5'], 'base64').toString('hex')).toBe(
      '5eca9bd3eb07c006cd43ae48dfde7fd3',
    );
  });
});

describe('SSE-C refusals as error kinds', () => {
  const ctx = (customerKey: 'sent' | 'none') => ({ provider: 'cos' as const, operation: 'HEAD cos://b/k', secrets: [], customerKey });
  it('400 without a key is "customer-key-required"; 403 with a key is "customer-key-wrong"; rejected keys stay credentials', () => {
    expect(toStorageError({ status: 400 }, ctx('none')).kind).toBe('customer-key-required');
    expect(toStorageError({ status: 400, code: 'InvalidRequest' }, ctx('none')).kind).toBe('customer-key-required');
    expect(toStorageError({ status: 403 }, ctx('sent')).kind).toBe('customer-key-wrong');
    expect(toStorageError({ status: 403, code: 'SignatureDoesNotMatch' }, ctx('sent')).kind).toBe('credentials');
    expect(toStorageError({ status: 403 }, ctx('none')).kind).toBe('access-denied');
    expect(toStorageError({ status: 403, code: 'InvalidObjectState' }, ctx('none')).kind).toBe('archived');
    expect(
      toStorageError({ status: 409, code: 'RestoreAlreadyInProgress' }, { provider: 'oss', operation: 'restore', secrets: [] }).kind,
    ).toBe('restore-in-progress');
  });

  // COS API error codes (4XX): "400 Bad Request | SsecDecryptHeaderInvalid | The source object is encrypted with SSE-C.
  // Therefore, the same key should be provided in the request header" (intlcloud-documents, API 文档/错误码_intl_en.md).
  it("COS's SsecDecryptHeaderInvalid is a missing key without one and a wrong key with one, on reads and writes", () => {
    const code = { status: 400, code: 'SsecDecryptHeaderInvalid' };
    expect(toStorageError(code, ctx('none')).kind).toBe('customer-key-required');
    const wrong = toStorageError(code, ctx('sent'));
    expect(wrong.kind).toBe('customer-key-wrong');
    expect(wrong.message).toMatch(/^Wrong customer key: .* \(HEAD cos:\/\/b\/k\)\.$/);
    const write = { provider: 'cos' as const, operation: 'upload part 2 of cos://b/k', secrets: [] };
    expect(toStorageError(code, { ...write, customerKeyOnConnection: true }).kind).toBe('customer-key-wrong');
    expect(toStorageError(code, { ...write, customerKeyOnConnection: false }).kind).toBe('customer-key-required');
    // A HEAD has no body to carry the code: COS's 400 with a key sent is that key refused.
    expect(toStorageError({ status: 400 }, ctx('sent')).kind).toBe('customer-key-wrong');
    // Without an object read and without the code, a 400 stays what it was.
    expect(toStorageError({ status: 400, code: 'InvalidArgument' }, write).kind).toBe('invalid-request');
  });
});
