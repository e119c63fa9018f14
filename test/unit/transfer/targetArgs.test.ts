import { describe, expect, it } from 'vitest';
import { remoteTargetFromArg, remoteTargetFromPath } from '../../../src/ui/transfer/targetArgs';

describe('transfer command arguments', () => {
  it('takes plain objects with a key or a prefix', () => {
    expect(remoteTargetFromArg({ profile: 'p', bucket: 'b', key: 'a/x.txt' })).toEqual({ profile: 'p', bucket: 'b', key: 'a/x.txt', isPrefix: false });
    expect(remoteTargetFromArg({ profile: 'p', bucket: 'b', key: 'a/' })).toEqual({ profile: 'p', bucket: 'b', key: 'a/', isPrefix: true });
    expect(remoteTargetFromArg({ profile: 'p', bucket: 'b', prefix: 'logs/' })).toEqual({ profile: 'p', bucket: 'b', key: 'logs/', isPrefix: true });
    expect(remoteTargetFromArg({ profile: 'p', bucket: 'b' })).toEqual({ profile: 'p', bucket: 'b', key: '', isPrefix: true });
  });

  it('takes Buckets tree nodes by their kind and location', () => {
    expect(remoteTargetFromArg({ kind: 'bucket', id: 'x', location: { profile: 'p', bucket: 'b', key: '' } })).toMatchObject({ key: '', isPrefix: true });
    expect(remoteTargetFromArg({ kind: 'folder', id: 'x', location: { profile: 'p', bucket: 'b', key: 'd/e/' } })).toMatchObject({ key: 'd/e/', isPrefix: true });
    expect(remoteTargetFromArg({ kind: 'object', id: 'x', location: { profile: 'p', bucket: 'b', key: 'd/e.txt' } })).toMatchObject({
      key: 'd/e.txt',
      isPrefix: false,
    });
    // A folder node whose key lacks the trailing '/' still names a prefix.
    expect(remoteTargetFromArg({ kind: 'folder', location: { profile: 'p', bucket: 'b', key: 'd' } })).toMatchObject({ key: 'd/', isPrefix: true });
  });

  it('rejects what is not a remote location', () => {
    for (const arg of [undefined, null, 'cos://b/k', { profile: 'p' }, { bucket: 'b', key: 'k' }, { kind: 'profile', location: { profile: 'p' } }]) {
      expect(remoteTargetFromArg(arg)).toBeUndefined();
    }
  });

  it('reads tree resource paths', () => {
    expect(remoteTargetFromPath('/p/b/d/e.txt', false)).toEqual({ profile: 'p', bucket: 'b', key: 'd/e.txt', isPrefix: false });
    expect(remoteTargetFromPath('/p/b/d/', true)).toEqual({ profile: 'p', bucket: 'b', key: 'd/', isPrefix: true });
    expect(remoteTargetFromPath('/p', true)).toBeUndefined();
  });
});
