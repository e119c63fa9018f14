import { describe, expect, it } from 'vitest';
import { copyMethodFor, serviceOf, type CopyEndpoint } from '../../../src/transfer/copyMethod';

const keys = { accessKeyId: 'AKID-one', secretAccessKey: 'secret-one' };
const side = (over: Partial<CopyEndpoint['connection']> = {}, ownKeys?: boolean): CopyEndpoint => ({
  connection: { provider: 'cos', region: 'ap-guangzhou', endpoint: 'http://127.0.0.1:9000', credentials: keys, ...over },
  ...(ownKeys !== undefined ? { ownKeys } : {}),
});

describe('copy routing (shared by cp and the Buckets view)', () => {
  it('copies server-side within one cloud, service and account', () => {
    expect(copyMethodFor(side(), side())).toBe('server');
    // Two profiles with the same keys and service are one account: still server-side.
    expect(copyMethodFor(side({ credentials: { ...keys } }), side({ credentials: { ...keys } }))).toBe('server');
  });

  it('migrates (streams) to another cloud, service or account', () => {
    expect(copyMethodFor(side(), side({ provider: 'oss' }))).toBe('stream');
    expect(copyMethodFor(side(), side({ endpoint: 'http://127.0.0.1:9001' }))).toBe('stream');
    expect(copyMethodFor(side({ endpoint: undefined }), side({ endpoint: undefined, region: 'ap-beijing' }))).toBe('stream');
    expect(copyMethodFor(side(), side({ credentials: { accessKeyId: 'AKID-two', secretAccessKey: 'secret-one' } }))).toBe('stream');
    expect(copyMethodFor(side(), side({ credentials: { ...keys, secretAccessKey: 'secret-two' } }))).toBe('stream');
    expect(copyMethodFor(side(), side({ credentials: { ...keys, sessionToken: 'token' } }))).toBe('stream');
  });

  it('streams when a side was given keys of its own, even equal ones', () => {
    expect(copyMethodFor(side(), side({}, true))).toBe('stream');
    expect(copyMethodFor(side({}, true), side())).toBe('stream');
  });

  it("names the service canonically: by endpoint, else by the region's public endpoint", () => {
    expect(serviceOf({ provider: 'oss', region: 'oss-cn-hangzhou', endpoint: 'http://127.0.0.1:9000' })).toBe('loopback:9000');
    expect(serviceOf({ provider: 'oss', region: 'cn-hangzhou', endpoint: 'http://localhost:9000/' })).toBe('loopback:9000');
    expect(serviceOf({ provider: 'oss', region: 'oss-cn-hangzhou' })).toBe('oss-cn-hangzhou.aliyuncs.com');
    expect(serviceOf({ provider: 'oss', region: 'cn-hangzhou' })).toBe(
      serviceOf({ provider: 'oss', region: 'x', endpoint: 'https://oss-cn-hangzhou.aliyuncs.com' }),
    );
  });
});
