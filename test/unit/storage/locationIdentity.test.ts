import { describe, expect, it } from 'vitest';
import { canonicalService, locationOf, prefixesOverlap, sameLocation } from '../../../src/storage/locationIdentity';

const cos = (endpoint?: string, region = 'ap-guangzhou') => ({
  provider: 'cos' as const,
  region,
  ...(endpoint !== undefined ? { endpoint } : {}),
});
const oss = (endpoint?: string, region = 'cn-hangzhou') => ({
  provider: 'oss' as const,
  region,
  ...(endpoint !== undefined ? { endpoint } : {}),
});

describe('canonicalService: one name per place requests land', () => {
  it('resolves a COS region to its public endpoint, however the endpoint is written', () => {
    const spellings = [
      undefined,
      '',
      'https://cos.ap-guangzhou.myqcloud.com',
      'https://cos.ap-guangzhou.myqcloud.com/',
      'http://cos.ap-guangzhou.myqcloud.com',
      'https://COS.AP-Guangzhou.MyQcloud.com:443',
      'https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com',
      'cos.ap-guangzhou.myqcloud.com',
      'https://examplebucket-1250000000.cos.ap-guangzhou.tencentcos.cn',
      'https://cos-internal.ap-guangzhou.tencentcos.cn',
      'https://cos.accelerate.myqcloud.com',
    ];
    for (const e of spellings) expect(canonicalService(cos(e)), String(e)).toBe('cos.ap-guangzhou.myqcloud.com');
    expect(canonicalService(cos(undefined, ' AP-GUANGZHOU '))).toBe('cos.ap-guangzhou.myqcloud.com');
    expect(canonicalService(cos('https://cos.ap-beijing.myqcloud.com'))).toBe('cos.ap-beijing.myqcloud.com');
    expect(canonicalService(cos(undefined, 'ap-beijing'))).not.toBe(canonicalService(cos()));
  });

  it('treats OSS cn-hangzhou and oss-cn-hangzhou, with or without the endpoint, as one region', () => {
    const spellings: Array<[string | undefined, string]> = [
      [undefined, 'cn-hangzhou'],
      [undefined, 'oss-cn-hangzhou'],
      ['https://oss-cn-hangzhou.aliyuncs.com', 'cn-hangzhou'],
      ['oss-cn-hangzhou.aliyuncs.com', 'oss-cn-hangzhou'],
      ['http://OSS-CN-HANGZHOU.aliyuncs.com:80/', 'cn-hangzhou'],
      ['https://examplebucket.oss-cn-hangzhou.aliyuncs.com', 'cn-hangzhou'],
      ['https://oss-bucket.oss-cn-hangzhou.aliyuncs.com', 'cn-hangzhou'],
      ['https://oss-cn-hangzhou-internal.aliyuncs.com', 'cn-hangzhou'],
      ['https://oss-accelerate.aliyuncs.com', 'cn-hangzhou'],
    ];
    for (const [e, region] of spellings) expect(canonicalService(oss(e, region)), `${e} ${region}`).toBe('oss-cn-hangzhou.aliyuncs.com');
    expect(canonicalService(oss(undefined, 'cn-shanghai'))).toBe('oss-cn-shanghai.aliyuncs.com');
  });

  it('names every loopback spelling of one port the same, and keeps ports and hosts apart', () => {
    const same = [
      'http://127.0.0.1:9000',
      'http://127.0.0.1:9000/',
      'http://127.0.0.1:9000//',
      'HTTP://LOCALHOST:9000',
      'http://localhost.:9000/path',
      'http://[::1]:9000',
      'http://[0:0:0:0:0:0:0:1]:9000',
      'http://127.1:9000',
      'http://127.0.0.2:9000',
      'http://[::ffff:127.0.0.1]:9000',
      'https://localhost:9000',
      ' http://127.0.0.1:9000 ',
    ];
    for (const e of same) {
      expect(canonicalService(cos(e)), e).toBe('loopback:9000');
      expect(canonicalService(oss(e)), e).toBe('loopback:9000');
    }
    expect(canonicalService(cos('http://127.0.0.1:9001'))).toBe('loopback:9001');
    expect(canonicalService(cos('http://127.0.0.1'))).toBe('loopback:80');
    expect(canonicalService(cos('http://127.0.0.1:80'))).toBe('loopback:80');
    expect(canonicalService(cos('https://storage.example.com'))).toBe('storage.example.com:443');
    expect(canonicalService(cos('https://Storage.Example.com:443/'))).toBe('storage.example.com:443');
    expect(canonicalService(cos('http://storage.example.com'))).toBe('storage.example.com:80');
  });
});

describe('sameLocation and prefixesOverlap', () => {
  it('finds the same object across endpoint spellings and only then', () => {
    const a = locationOf(cos('http://127.0.0.1:9000'), 'b-1250000000', 'x/a.txt');
    expect(sameLocation(a, locationOf(cos('http://localhost:9000/'), 'b-1250000000', 'x/a.txt'))).toBe(true);
    expect(sameLocation(a, locationOf(cos('http://localhost:9000/'), 'B-1250000000', 'x/a.txt'))).toBe(true);
    expect(sameLocation(a, locationOf(cos('http://localhost:9000/'), 'b-1250000000', 'x/A.txt'))).toBe(false);
    expect(sameLocation(a, locationOf(cos('http://localhost:9001/'), 'b-1250000000', 'x/a.txt'))).toBe(false);
    expect(sameLocation(a, locationOf(oss('http://localhost:9000/'), 'b-1250000000', 'x/a.txt'))).toBe(false);
    const real = locationOf(oss(undefined, 'cn-hangzhou'), 'bk', 'k');
    expect(sameLocation(real, locationOf(oss('https://bk.oss-cn-hangzhou.aliyuncs.com', 'oss-cn-hangzhou'), 'bk', 'k'))).toBe(true);
  });

  it('sees a prefix inside another of the same bucket', () => {
    const at = (endpoint: string, key: string) => locationOf(oss(endpoint), 'bk', key);
    expect(prefixesOverlap(at('http://127.0.0.1:9', 'a/'), at('http://localhost:9/', 'a/'))).toBe(true);
    expect(prefixesOverlap(at('http://127.0.0.1:9', 'a/'), at('http://localhost:9/', 'a/b/'))).toBe(true);
    expect(prefixesOverlap(at('http://127.0.0.1:9', ''), at('http://localhost:9/', 'z/'))).toBe(true);
    expect(prefixesOverlap(at('http://127.0.0.1:9', 'a/'), at('http://localhost:9/', 'b/'))).toBe(false);
  });
});
