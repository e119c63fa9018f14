import { describe, expect, it } from 'vitest';
import { parseXmlError, redact, toStorageError, type FailureContext } from '../../../src/storage/shared/errorMapping';

const ctx = (over: Partial<FailureContext> = {}): FailureContext => ({
  provider: 'cos',
  operation: 'list cos://b-1250000000/',
  bucket: 'b-1250000000',
  secrets: ['super-secret-key-value'],
  ...over,
});

describe('toStorageError', () => {
  it.each([
    [{ status: 403, code: 'SignatureDoesNotMatch' }, 'credentials'],
    [{ status: 403, code: 'InvalidAccessKeyId' }, 'credentials'],
    [{ status: 403, code: 'AccessDenied' }, 'access-denied'],
    [{ status: 404, code: 'NoSuchBucket' }, 'no-such-bucket'],
    [{ status: 404, code: 'NoSuchKey' }, 'no-such-key'],
    [{ status: 404 }, 'no-such-key'],
    [{ status: 404, code: 'NoSuchUpload' }, 'no-such-upload'],
    [{ status: 400, code: 'EntityTooSmall' }, 'invalid-request'],
    [{ status: 503, code: 'SlowDown' }, 'server'],
    [{ code: 'ECONNREFUSED', networkError: true }, 'network'],
    [{ status: -1, code: 'RequestError' }, 'network'],
    [{ timedOut: true }, 'timeout'],
    [{ code: 'ResponseTimeoutError' }, 'timeout'],
    [{ malformed: true }, 'malformed-response'],
  ] as const)('%j is %s', (raw, kind) => {
    expect(toStorageError(raw, ctx()).kind).toBe(kind);
  });

  it('names the keys to check: the profile when known, else the environment variables', () => {
    expect(toStorageError({ status: 403, code: 'SignatureDoesNotMatch' }, ctx({ profileName: 'prod' })).hint).toContain('profile "prod"');
    expect(toStorageError({ status: 403, code: 'SignatureDoesNotMatch' }, ctx()).hint).toContain('COS_SECRET_ID/COS_SECRET_KEY');
    expect(toStorageError({ status: 403, code: 'InvalidAccessKeyId' }, ctx({ provider: 'oss' })).hint).toContain(
      'OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET',
    );
    expect(toStorageError({ status: 403, code: 'RequestTimeTooSkewed' }, ctx()).hint).toMatch(/clock/);
  });

  it('never says "the profile" where there is none (the CLI), and names it where there is', () => {
    for (const raw of [{ status: 404, code: 'NoSuchBucket' }, { code: 'ECONNREFUSED', networkError: true }, { malformed: true }]) {
      expect(toStorageError(raw, ctx()).hint).not.toMatch(/profile/);
      expect(toStorageError(raw, ctx({ profileName: 'prod' })).hint).toContain('of profile "prod"');
    }
  });

  it('says the region may be misspelled when the host of its public endpoint is not found', () => {
    const dns = { code: 'ENOTFOUND', networkError: true };
    expect(toStorageError(dns, ctx({ region: 'ap-guangzuo', defaultEndpoint: true })).hint).toMatch(
      /region "ap-guangzuo".*may be misspelled/,
    );
    expect(toStorageError(dns, ctx({ region: 'ap-guangzuo', defaultEndpoint: false })).hint).not.toMatch(/misspelled/);
    expect(
      toStorageError({ code: 'ECONNREFUSED', networkError: true }, ctx({ region: 'ap-guangzhou', defaultEndpoint: true })).hint,
    ).not.toMatch(/misspelled/);
  });

  it('never carries a secret, even when the service echoes it back', () => {
    const err = toStorageError(
      {
        status: 400,
        code: 'InvalidArgument',
        serviceMessage: 'bad header super-secret-key-value',
        requestId: 'rid-super-secret-key-value',
      },
      ctx(),
    );
    expect(`${err.message} ${err.hint} ${err.requestId} ${JSON.stringify(err)}`).not.toContain('super-secret-key-value');
    expect(err.message).toContain('***');
  });

  it('keeps the code, request id and status for support, and drops numeric pseudo-codes', () => {
    const err = toStorageError({ status: 404, code: 'NoSuchBucket', requestId: 'abc' }, ctx());
    expect(err).toMatchObject({ code: 'NoSuchBucket', requestId: 'abc', status: 404 });
    expect(err.message).toContain('"b-1250000000"');
    expect(toStorageError({ status: 500, code: '500' }, ctx()).code).toBeUndefined();
  });
});

describe('redact and parseXmlError', () => {
  it('replaces every occurrence and ignores empty or tiny secrets', () => {
    expect(redact('a SECRET b SECRET', ['SECRET', '', 'ab'])).toBe('a *** b ***');
  });
  it('reads Code, Message and RequestId', () => {
    expect(parseXmlError('<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>r1</RequestId></Error>')).toEqual({
      code: 'NoSuchKey',
      message: 'gone',
      requestId: 'r1',
    });
    expect(parseXmlError(undefined)).toEqual({});
  });
});
