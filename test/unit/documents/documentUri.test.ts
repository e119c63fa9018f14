import { describe, expect, it } from 'vitest';
import { documentUriParts, listingPrefix, parseDocumentUri, profileForAuthority } from '../../../src/ui/documents/documentUri';

describe('cos:// and oss:// document URIs', () => {
  it('put the profile in the authority and bucket/key in the path, and read them back', () => {
    const location = { provider: 'cos' as const, profile: 'Demo COS', bucket: 'site-1250000000', key: 'css/app.css' };
    const parts = documentUriParts(location);
    expect(parts).toEqual({ scheme: 'cos', authority: 'Demo COS', path: '/site-1250000000/css/app.css' });
    expect(parseDocumentUri(parts)).toEqual(location);
  });

  it('name folders with a trailing slash, buckets and the profile root without a key', () => {
    expect(parseDocumentUri({ scheme: 'oss', authority: 'p', path: '/b/logs/2024/' })).toEqual({
      provider: 'oss',
      profile: 'p',
      bucket: 'b',
      key: 'logs/2024/',
    });
    expect(parseDocumentUri({ scheme: 'oss', authority: 'p', path: '/b' })).toEqual({
      provider: 'oss',
      profile: 'p',
      bucket: 'b',
      key: '',
    });
    expect(parseDocumentUri({ scheme: 'oss', authority: 'p', path: '/' })).toEqual({ provider: 'oss', profile: 'p', key: '' });
    expect(documentUriParts({ provider: 'oss', profile: 'p', key: '' }).path).toBe('/');
  });

  it('keep keys that contain spaces, unicode and double slashes as they are', () => {
    expect(parseDocumentUri({ scheme: 'cos', authority: 'p', path: '/b/a b/ü//x.txt' })?.key).toBe('a b/ü//x.txt');
  });

  it('refuse other schemes and a missing profile', () => {
    expect(parseDocumentUri({ scheme: 'file', authority: '', path: '/tmp/x' })).toBeUndefined();
    expect(parseDocumentUri({ scheme: 'bucket-integrity', authority: '', path: '/p/b/k' })).toBeUndefined();
    expect(parseDocumentUri({ scheme: 'cos', authority: '', path: '/b/k' })).toBeUndefined();
  });

  it('list a folder under its prefix with exactly one trailing slash', () => {
    expect(listingPrefix('')).toBe('');
    expect(listingPrefix('logs')).toBe('logs/');
    expect(listingPrefix('logs/')).toBe('logs/');
  });

  it('find the profile of an authority the editor lower-cased, unless that is ambiguous', () => {
    // VS Code hands a document's URI back with its authority in lower case ("Demo COS" → "demo cos").
    const profiles = [{ name: 'Demo COS' }, { name: 'Demo OSS' }, { name: 'twin' }, { name: 'TWIN' }];
    expect(profileForAuthority(profiles, 'Demo COS')?.name).toBe('Demo COS');
    expect(profileForAuthority(profiles, 'demo cos')?.name).toBe('Demo COS');
    expect(profileForAuthority(profiles, 'DEMO OSS')?.name).toBe('Demo OSS');
    expect(profileForAuthority(profiles, 'TWIN')?.name).toBe('TWIN');
    expect(profileForAuthority(profiles, 'Twin')).toBeUndefined();
    expect(profileForAuthority(profiles, 'other')).toBeUndefined();
  });
});
