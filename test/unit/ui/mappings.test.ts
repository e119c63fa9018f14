import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPrefixFor, mapFolderArgsOf } from '../../../src/ui/mappings/mappingArgs';
import { workspaceRelative } from '../../../src/ui/shared/workspaceFolder';
import { localToRemote, parseMappings, remoteToLocal, type FolderMapping } from '../../../src/ui/shared/mappingModel';

const fileUri = (fsPath: string) => ({ scheme: 'file', fsPath, path: fsPath });

describe('mapFolder arguments', () => {
  it('reads an Explorer folder', () => {
    expect(mapFolderArgsOf([fileUri('/ws/site'), [fileUri('/ws/site')]])).toEqual({ localPath: '/ws/site' });
  });

  it('reads a tree node for a bucket or a folder', () => {
    expect(mapFolderArgsOf([{ profile: 'p', bucket: 'b', prefix: 'site' }])).toEqual({ profile: 'p', bucket: 'b', prefix: 'site/' });
    expect(mapFolderArgsOf([{ location: { profile: 'p', bucket: 'b', key: 'a/b/' } }])).toEqual({
      profile: 'p',
      bucket: 'b',
      prefix: 'a/b/',
    });
    expect(mapFolderArgsOf([{ profile: 'p', bucket: 'b', key: '' }])).toEqual({ profile: 'p', bucket: 'b', prefix: '' });
    expect(mapFolderArgsOf([{ profile: 'p', bucket: 'b' }])).toEqual({ profile: 'p', bucket: 'b' });
  });

  it('reads positional (profile, bucket, prefix)', () => {
    expect(mapFolderArgsOf(['p', 'b', 'x/y'])).toEqual({ profile: 'p', bucket: 'b', prefix: 'x/y/' });
    expect(mapFolderArgsOf(['p', 'b'])).toEqual({ profile: 'p', bucket: 'b', prefix: '' });
  });

  it('reads a complete mapping', () => {
    expect(mapFolderArgsOf([{ localFolder: 'data', profile: 'p', bucket: 'b', prefix: '' }])).toEqual({
      localFolder: 'data',
      profile: 'p',
      bucket: 'b',
      prefix: '',
    });
    expect(mapFolderArgsOf([{ localFolder: fileUri('/ws/data'), profile: 'p', bucket: 'b', prefix: 'd' }])).toEqual({
      localPath: '/ws/data',
      profile: 'p',
      bucket: 'b',
      prefix: 'd/',
    });
    expect(mapFolderArgsOf([])).toEqual({});
  });
});

describe('workspaceRelative', () => {
  const root = join('/', 'ws');
  it('gives POSIX paths inside the workspace and refuses the outside', () => {
    expect(workspaceRelative(root, root)).toBe('');
    expect(workspaceRelative(root, join(root, 'a', 'b'))).toBe('a/b');
    expect(workspaceRelative(root, join(root, '..', 'other'))).toBeUndefined();
    expect(workspaceRelative(root, join(root, '..ok'))).toBe('..ok');
  });

  it('proposes the folder path as the prefix', () => {
    expect(defaultPrefixFor('site/img')).toBe('site/img/');
    expect(defaultPrefixFor('')).toBe('');
  });
});

describe('mappings', () => {
  const mappings: FolderMapping[] = parseMappings([
    { localFolder: 'site', profile: 'p', bucket: 'web', prefix: 'www' },
    { localFolder: 'site/img', profile: 'p', bucket: 'media', prefix: '' },
    { localFolder: '../escape', profile: 'p', bucket: 'web', prefix: '' },
  ]).mappings;

  it('ignores a folder outside the workspace and normalizes prefixes', () => {
    expect(mappings).toHaveLength(2);
    expect(mappings[0].prefix).toBe('www/');
  });

  it('translates both ways with the deepest mapping winning', () => {
    expect(localToRemote(mappings, 'site/index.html')?.key).toBe('www/index.html');
    expect(localToRemote(mappings, 'site/img/a.png')).toMatchObject({ key: 'a.png', mapping: { bucket: 'media' } });
    expect(remoteToLocal(mappings, 'p', 'web', 'www/css/x.css')?.relativePath).toBe('site/css/x.css');
    expect(remoteToLocal(mappings, 'p', 'web', 'www/../../etc/passwd')).toBeUndefined();
  });
});
