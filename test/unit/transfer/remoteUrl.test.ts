import { describe, expect, it } from 'vitest';
import { keyFor } from '../../../src/transfer/batch';
import { formatRemoteUrl, parseRemoteUrl } from '../../../src/transfer/remoteUrl';

describe('remote URLs', () => {
  it('parses bucket, key and prefix for both clouds', () => {
    expect(parseRemoteUrl('cos://bkt-1250000000/a/b.txt')).toEqual({ provider: 'cos', bucket: 'bkt-1250000000', key: 'a/b.txt' });
    expect(parseRemoteUrl('oss://bkt/dir/')).toEqual({ provider: 'oss', bucket: 'bkt', key: 'dir/' });
    expect(parseRemoteUrl('oss://bkt')).toEqual({ provider: 'oss', bucket: 'bkt', key: '' });
  });
  it('rejects anything else', () => {
    for (const t of ['s3://b/k', 'cos:/b/k', 'cos:///k', 'b/k', '']) expect(parseRemoteUrl(t)).toBeUndefined();
  });
  it('round-trips', () => {
    expect(formatRemoteUrl(parseRemoteUrl('cos://b/x/y')!)).toBe('cos://b/x/y');
  });
});

describe('keyFor', () => {
  it('joins the prefix and the relative path with forward slashes', () => {
    expect(keyFor('/data', '/data/a/b.txt', 'backup')).toBe('backup/a/b.txt');
    expect(keyFor('/data', '/data/a/b.txt', 'backup/')).toBe('backup/a/b.txt');
    expect(keyFor('/data', '/data/b.txt', '')).toBe('b.txt');
  });
});
