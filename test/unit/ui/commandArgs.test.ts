import { describe, expect, it } from 'vitest';
import { mapFolderArgsOf } from '../../../src/ui/mappings/mappingArgs';
import { profileNameOf, remoteArgOf, remoteTargetOf } from '../../../src/ui/shared/commandArgs';

/** A `bucket-integrity:` URI as the editor hands it over (only the fields the reader looks at). */
const remoteUri = (path: string) => ({ scheme: 'bucket-integrity', authority: '', path, query: '', fragment: '' });

describe('command arguments: remote targets', () => {
  it('takes plain objects with a key or a prefix', () => {
    expect(remoteTargetOf({ profile: 'p', bucket: 'b', key: 'a/x.txt' })).toEqual({
      profile: 'p',
      bucket: 'b',
      key: 'a/x.txt',
      isPrefix: false,
    });
    expect(remoteTargetOf({ profile: 'p', bucket: 'b', key: 'a/' })).toEqual({ profile: 'p', bucket: 'b', key: 'a/', isPrefix: true });
    expect(remoteTargetOf({ profile: 'p', bucket: 'b', prefix: 'logs/' })).toEqual({
      profile: 'p',
      bucket: 'b',
      key: 'logs/',
      isPrefix: true,
    });
    expect(remoteTargetOf({ profile: 'p', bucket: 'b' })).toEqual({ profile: 'p', bucket: 'b', key: '', isPrefix: true });
    expect(remoteTargetOf({ profileName: 'p', bucketName: 'b', key: 'k' })).toEqual({
      profile: 'p',
      bucket: 'b',
      key: 'k',
      isPrefix: false,
    });
  });

  it('takes Buckets tree nodes by their kind and location', () => {
    expect(remoteTargetOf({ kind: 'bucket', id: 'x', location: { profile: 'p', bucket: 'b', key: '' } })).toMatchObject({
      key: '',
      isPrefix: true,
    });
    expect(remoteTargetOf({ kind: 'folder', id: 'x', location: { profile: 'p', bucket: 'b', key: 'd/e/' } })).toMatchObject({
      key: 'd/e/',
      isPrefix: true,
    });
    expect(remoteTargetOf({ kind: 'object', id: 'x', location: { profile: 'p', bucket: 'b', key: 'd/e.txt' } })).toMatchObject({
      key: 'd/e.txt',
      isPrefix: false,
    });
    // A folder node whose key lacks the trailing '/' still names a prefix.
    expect(remoteTargetOf({ kind: 'folder', location: { profile: 'p', bucket: 'b', key: 'd' } })).toMatchObject({
      key: 'd/',
      isPrefix: true,
    });
  });

  it('takes bucket-integrity: URIs and items carrying one', () => {
    expect(remoteTargetOf(remoteUri('/p/b/d/e.txt'))).toEqual({ profile: 'p', bucket: 'b', key: 'd/e.txt', isPrefix: false });
    expect(remoteTargetOf(remoteUri('/p/b/d/'))).toEqual({ profile: 'p', bucket: 'b', key: 'd/', isPrefix: true });
    expect(remoteTargetOf(remoteUri('/p/b/'))).toEqual({ profile: 'p', bucket: 'b', key: '', isPrefix: true });
    expect(remoteTargetOf({ resourceUri: remoteUri('/p/b/d/e.txt') })).toEqual({
      profile: 'p',
      bucket: 'b',
      key: 'd/e.txt',
      isPrefix: false,
    });
  });

  it('rejects what is not a place inside a bucket', () => {
    for (const arg of [
      undefined,
      null,
      'cos://b/k',
      { profile: 'p' },
      { bucket: 'b', key: 'k' },
      { kind: 'profile', location: { profile: 'p' } },
      remoteUri('/p'),
      remoteUri('/p/'),
      { scheme: 'file', path: '/p/b/k' },
    ]) {
      expect(remoteTargetOf(arg)).toBeUndefined();
    }
  });
});

describe('command arguments: one reader for every shape', () => {
  it('reads the same place from a node, a URI and a plain object', () => {
    const shapes = [
      { kind: 'object', id: 'object:/p/b/d/e.txt', location: { profile: 'p', bucket: 'b', key: 'd/e.txt' } },
      remoteUri('/p/b/d/e.txt'),
      { resourceUri: remoteUri('/p/b/d/e.txt') },
      { profile: 'p', bucket: 'b', key: 'd/e.txt' },
    ];
    for (const arg of shapes) {
      expect(remoteArgOf(arg)).toEqual({ profile: 'p', bucket: 'b', key: 'd/e.txt', isPrefix: false });
      expect(profileNameOf(arg)).toBe('p');
      expect(mapFolderArgsOf([arg])).toEqual({ profile: 'p', bucket: 'b', prefix: 'd/e.txt/' });
    }
  });

  it('reads profiles: names, settings entries, profile nodes, URIs and nodes below a profile', () => {
    const settings = { name: 'prod', provider: 'cos', region: 'ap-guangzhou' };
    expect(remoteArgOf('prod')).toEqual({ profile: 'prod', isPrefix: true });
    expect(remoteArgOf(settings)).toEqual({ profile: 'prod', isPrefix: true });
    expect(remoteArgOf({ kind: 'profile', id: 'profile:/prod', profile: settings, location: { profile: 'prod' } })).toEqual({
      profile: 'prod',
      isPrefix: true,
    });
    expect(remoteArgOf(remoteUri('/prod/'))).toEqual({ profile: 'prod', isPrefix: true });
    expect(remoteArgOf({ kind: 'error', id: 'e', parent: { kind: 'profile', profile: settings, location: { profile: 'prod' } } })).toEqual({
      profile: 'prod',
      isPrefix: true,
    });
    // An error node names its parent's profile, never its parent's folder (nothing is downloaded from an error).
    expect(
      remoteTargetOf({ kind: 'error', id: 'e', parent: { kind: 'folder', location: { profile: 'prod', bucket: 'b', key: 'd/' } } }),
    ).toBeUndefined();
  });

  it('names nothing for blank or foreign arguments', () => {
    for (const arg of ['', '   ', 42, [], { scheme: 'file', path: '/home/x' }, { name: 'x' }, { profile: '  ' }]) {
      expect(remoteArgOf(arg)).toBeUndefined();
    }
  });
});
