import { describe, expect, it } from 'vitest';
import {
  canonicalEndpoint,
  describeDestination,
  destinationOf,
  insecureEndpointProblem,
  isLoopbackHost,
  sameDestination,
} from '../../../src/storage/destination';
import { StorageError } from '../../../src/storage/errors';
import { createObjectStore } from '../../../src/storage';

const keys = { accessKeyId: 'AKIDdestinationtest', secretAccessKey: 'destination-test-secret' };

describe('canonicalEndpoint', () => {
  it('writes one endpoint one way: scheme and host lowercased, default port and trailing slash dropped', () => {
    expect(canonicalEndpoint('HTTPS://COS.AP-Guangzhou.myqcloud.com:443/')).toBe('https://cos.ap-guangzhou.myqcloud.com');
    expect(canonicalEndpoint('http://127.0.0.1:80')).toBe('http://127.0.0.1');
    expect(canonicalEndpoint('http://127.0.0.1:9000')).toBe('http://127.0.0.1:9000');
    expect(canonicalEndpoint(' http://[::1]:9000/ ')).toBe('http://[::1]:9000');
  });

  it('keeps what changes where requests go: scheme, port, a path', () => {
    expect(canonicalEndpoint('http://example.com')).not.toBe(canonicalEndpoint('https://example.com'));
    expect(canonicalEndpoint('https://example.com:8443')).not.toBe(canonicalEndpoint('https://example.com'));
    expect(canonicalEndpoint('https://example.com/a')).toBe('https://example.com/a');
  });

  it('gives "" for the public endpoint of the region, and the text itself when it is not a URL', () => {
    expect(canonicalEndpoint(undefined)).toBe('');
    expect(canonicalEndpoint('  ')).toBe('');
    expect(canonicalEndpoint('not a url')).toBe('not a url');
  });
});

describe('destinations', () => {
  const prod = { provider: 'cos' as const, region: 'ap-guangzhou', endpoint: 'https://cos.example.com' };

  it('are the same when only the spelling of the endpoint differs', () => {
    expect(sameDestination(destinationOf(prod), destinationOf({ ...prod, endpoint: 'HTTPS://cos.example.com:443/' }))).toBe(true);
  });

  it.each([
    ['endpoint', { endpoint: 'http://collector.example' }],
    ['no endpoint', { endpoint: undefined }],
    ['region', { region: 'ap-beijing' }],
    ['provider', { provider: 'oss' as const }],
  ])('differ when the %s differs', (_what, change) => {
    expect(sameDestination(destinationOf(prod), destinationOf({ ...prod, ...change }))).toBe(false);
  });

  it('are described without anything but provider, region and endpoint', () => {
    expect(describeDestination(destinationOf(prod))).toBe('cos, ap-guangzhou, https://cos.example.com');
    expect(describeDestination(destinationOf({ ...prod, endpoint: undefined }))).toBe(
      'cos, ap-guangzhou, the public endpoint of the region',
    );
  });
});

describe('plain HTTP only to loopback', () => {
  it.each(['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    '128.0.0.1',
    '10.0.0.1',
    '0.0.0.0',
    'localhost.example.com',
    'api.localhost',
    '127.0.0.1.nip.io',
    '::2',
    'example.com',
    '::ffff:7f00:1x',
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('lets https anywhere and http to loopback through', () => {
    expect(insecureEndpointProblem(undefined)).toBeUndefined();
    expect(insecureEndpointProblem('https://collector.example')).toBeUndefined();
    expect(insecureEndpointProblem('http://127.0.0.1:9000')).toBeUndefined();
    expect(insecureEndpointProblem('http://localhost:9000')).toBeUndefined();
    expect(insecureEndpointProblem('http://[::1]:9000')).toBeUndefined();
  });

  it('names http to any other host, and says that keys and tokens would travel in clear', () => {
    const problem = insecureEndpointProblem('http://collector.example:8080/');
    expect(problem).toMatch(/http:\/\/collector\.example:8080/);
    expect(problem).toMatch(/key id.*session tokens would travel in clear/i);
    expect(insecureEndpointProblem('http://10.1.2.3')).toBeDefined();
  });

  it('is enforced where every store is created, unless the caller says the user allowed it', async () => {
    const options = { provider: 'cos' as const, region: 'ap-guangzhou', endpoint: 'http://collector.example', credentials: keys };
    const refused = await createObjectStore(options).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(StorageError);
    expect((refused as StorageError).kind).toBe('insecure-endpoint');
    expect((refused as StorageError).message).toMatch(/in clear/);
    expect(JSON.stringify(refused) + String(refused)).not.toContain(keys.secretAccessKey);
    // Allowed: a store is made (nothing is sent until it is used).
    await expect(createObjectStore({ ...options, allowInsecureEndpoint: true })).resolves.toBeDefined();
    await expect(createObjectStore({ ...options, endpoint: 'http://127.0.0.1:9' })).resolves.toBeDefined();
  });
});
