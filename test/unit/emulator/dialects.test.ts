import { describe, expect, it } from 'vitest';
import { CosDialect } from '../../../emulator/dialects/cos';
import { OssDialect } from '../../../emulator/dialects/oss';
import { EmulatorError } from '../../../emulator/errors';

const cos = new CosDialect({ secretId: 'id', secretKey: 'key', appId: '1250000000', region: 'ap-beijing' });
const oss = new OssDialect({ accessKeyId: 'id', accessKeySecret: 'key', region: 'oss-cn-hangzhou' });

const refused = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return e instanceof EmulatorError ? `${e.status} ${e.code}` : String(e);
  }
  return 'accepted';
};

describe('COS bucket names', () => {
  it('accept the examples of the COS naming page, up to a 60-character domain', () => {
    // The page's own example of the longest name: 123456789012345678901-1250000000.cos.ap-beijing.myqcloud.com
    for (const name of [
      'examplebucket-1-1250000000',
      'mybucket123-1250000000',
      '1-newproject-1250000000',
      '123456789012345678901-1250000000',
    ]) {
      expect(
        refused(() => cos.checkBucketName(name)),
        name,
      ).toBe('accepted');
    }
  });

  it('refuse a longer domain, another APPID, outer hyphens, other characters and a missing APPID', () => {
    for (const name of [
      '1234567890123456789012-1250000000',
      'mine-1300000000',
      '-lead-1250000000',
      'trail--1250000000',
      'Upper-1250000000',
      'under_score-1250000000',
      'noappid',
    ]) {
      expect(
        refused(() => cos.checkBucketName(name)),
        name,
      ).toBe('400 InvalidBucketName');
    }
  });
});

describe('OSS bucket names', () => {
  it('accept 3 to 63 lowercase letters, digits and inner hyphens', () => {
    for (const name of ['abc', 'examplebucket1', 'test-bucket-2021', 'a'.repeat(63)])
      expect(
        refused(() => oss.checkBucketName(name)),
        name,
      ).toBe('accepted');
  });

  it('refuse the counter-examples of the OSS naming page and the length limits', () => {
    for (const name of ['Examplebucket1', 'test_bucket_2021', 'aliyun-oss-bucket-', '-lead', 'ab', 'a'.repeat(64), 'dot.ted']) {
      expect(
        refused(() => oss.checkBucketName(name)),
        name,
      ).toBe('400 InvalidBucketName');
    }
  });
});

describe('copy sources and error documents', () => {
  it('read each service’s copy-source form', () => {
    expect(cos.parseCopySource('b-1250000000.cos.ap-beijing.myqcloud.com/dir/a%20b.txt')).toEqual({
      bucket: 'b-1250000000',
      key: 'dir/a b.txt',
    });
    expect(oss.parseCopySource('/bucket/dir/a%2Bb.txt')).toEqual({ bucket: 'bucket', key: 'dir/a+b.txt' });
    expect(oss.parseCopySource('/bucket-only')).toBeUndefined();
  });

  it('OSS sends a HEAD error document base64-encoded in x-oss-err', () => {
    const err = new EmulatorError(404, 'NoSuchKey', 'The specified key does not exist.');
    const { headers, body } = oss.errorResponse(err, { resource: 'h/k', requestId: 'r', host: 'h', head: true });
    expect(Buffer.from(headers['x-oss-err'], 'base64').toString('utf8')).toBe(body);
    expect(body).toContain('<Code>NoSuchKey</Code>');
    expect(cos.errorResponse(err, { resource: 'h/k', requestId: 'r', host: 'h', head: true }).headers['x-oss-err']).toBeUndefined();
  });
});
