import { describe, expect, it } from 'vitest';
import { bucketNameProblem } from '../../../src/storage/bucketNames';
import { folderNameProblem } from '../../../src/storage/bucketOps';
import { createObjectStore } from '../../../src/storage';
import { endpointObjectUrl, parseLifetime } from '../../../src/storage/urls';

describe('presigned URL lifetimes typed by a person', () => {
  it('reads seconds, minutes, hours, days and combinations', () => {
    expect(parseLifetime('3600')).toBe(3600);
    expect(parseLifetime('90s')).toBe(90);
    expect(parseLifetime('30m')).toBe(1800);
    expect(parseLifetime(' 1h ')).toBe(3600);
    expect(parseLifetime('1h30m')).toBe(5400);
    expect(parseLifetime('7d')).toBe(604800);
  });

  it('refuses more than 7 days, nothing, zero and words, saying why', () => {
    expect(parseLifetime('8d')).toMatch(/at most 7 days/);
    expect(parseLifetime('604801')).toMatch(/at most 7 days/);
    expect(parseLifetime('0')).toMatch(/at least 1 second/);
    expect(parseLifetime('')).toMatch(/Type a lifetime/);
    expect(parseLifetime('one hour')).toMatch(/not a lifetime/);
    expect(parseLifetime('1w')).toMatch(/not a lifetime/);
  });
});

describe('bucket names as each service documents them', () => {
  it('COS: <name>-<APPID>, lowercase letters, digits and inner hyphens, a domain of at most 60 characters', () => {
    expect(bucketNameProblem('cos', 'photos-1250000000', 'ap-guangzhou')).toBeUndefined();
    expect(bucketNameProblem('cos', 'photos', 'ap-guangzhou')).toMatch(/APPID/);
    expect(bucketNameProblem('cos', '-1250000000', 'ap-guangzhou')).toMatch(/needs a name/);
    expect(bucketNameProblem('cos', 'Photos-1250000000', 'ap-guangzhou')).toMatch(/lowercase/);
    expect(bucketNameProblem('cos', '-photos-1250000000', 'ap-guangzhou')).toMatch(/hyphen/);
    expect(bucketNameProblem('cos', `${'a'.repeat(30)}-1250000000`, 'ap-guangzhou')).toMatch(/longer than 60/);
  });

  it('OSS: 3-63 lowercase letters, digits and hyphens, no hyphen first or last', () => {
    expect(bucketNameProblem('oss', 'my-logs-2024')).toBeUndefined();
    expect(bucketNameProblem('oss', 'ab')).toMatch(/3 to 63/);
    expect(bucketNameProblem('oss', 'a'.repeat(64))).toMatch(/3 to 63/);
    expect(bucketNameProblem('oss', 'My-logs')).toMatch(/lowercase/);
    expect(bucketNameProblem('oss', 'logs_2024')).toMatch(/lowercase/);
    expect(bucketNameProblem('oss', 'logs-')).toMatch(/starts and ends/);
  });
});

describe('folder names and object addresses', () => {
  it('accepts nested folder names, refuses empty, absolute and dot segments', () => {
    expect(folderNameProblem('images/2024')).toBeUndefined();
    expect(folderNameProblem('images/')).toBeUndefined();
    expect(folderNameProblem('')).toMatch(/Type a folder name/);
    expect(folderNameProblem('/images')).toMatch(/does not start/);
    expect(folderNameProblem('a//b')).toMatch(/empty segment/);
    expect(folderNameProblem('a/../b')).toMatch(/"\.\."/);
  });

  it('addresses path style behind an IP or localhost, the bucket in the host name otherwise', () => {
    expect(endpointObjectUrl(new URL('http://127.0.0.1:9000'), 'b', 'k')).toBe('http://127.0.0.1:9000/b/k');
    expect(endpointObjectUrl(new URL('http://[::1]:9000'), 'b', 'k')).toBe('http://[::1]:9000/b/k');
    expect(endpointObjectUrl(new URL('http://localhost:9000'), 'b', 'k')).toBe('http://localhost:9000/b/k');
    expect(endpointObjectUrl(new URL('https://oss-cn-hangzhou-internal.aliyuncs.com'), 'b', 'a b/c')).toBe(
      'https://b.oss-cn-hangzhou-internal.aliyuncs.com/a%20b/c',
    );
  });

  it('addresses the public endpoints of each cloud without an endpoint override', async () => {
    const credentials = { accessKeyId: 'id', secretAccessKey: 'secret' };
    const cos = await createObjectStore({ provider: 'cos', region: 'ap-guangzhou', credentials });
    expect(cos.objectUrl('photos-1250000000', 'a/b c.txt')).toBe('https://photos-1250000000.cos.ap-guangzhou.myqcloud.com/a/b%20c.txt');
    const oss = await createObjectStore({ provider: 'oss', region: 'cn-hangzhou', credentials });
    expect(oss.objectUrl('logs', 'a/b c.txt')).toBe('https://logs.oss-cn-hangzhou.aliyuncs.com/a/b%20c.txt');
    expect(oss.presignedUrl('logs', 'a.txt', 60)).toMatch(
      /^https:\/\/logs\.oss-cn-hangzhou\.aliyuncs\.com\/a\.txt\?OSSAccessKeyId=id&Expires=\d+&Signature=/,
    );
  });
});
