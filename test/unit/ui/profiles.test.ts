import { describe, expect, it } from 'vitest';
import { credentialsOf, profileChangesOf, profileConfigOf } from '../../../src/ui/profiles/profileArgs';
import { profileNameOf } from '../../../src/ui/shared/commandArgs';
import {
  changedProfileNames,
  connectionOptionsFor,
  credentialsFromEnv,
  parseProfiles,
  parseStoredCredentials,
  serializeCredentials,
  toSettingsEntry,
  validateEndpoint,
  validateProfileName,
  type ProfileConfig,
} from '../../../src/ui/shared/profileModel';

const cos: ProfileConfig = { name: 'prod', provider: 'cos', region: 'ap-guangzhou' };
const oss: ProfileConfig = { name: 'demo-oss', provider: 'oss', region: 'oss-cn-hangzhou', endpoint: 'http://127.0.0.1:9000' };

describe('parseProfiles', () => {
  it('keeps valid entries and names the ignored ones', () => {
    const { profiles, problems } = parseProfiles([
      cos,
      { name: 'x', provider: 'gcs', region: 'us' },
      { ...oss, name: ' demo-oss ' },
      { name: 'PROD', provider: 'cos', region: 'ap-beijing' },
      'not an object',
    ]);
    expect(profiles).toEqual([cos, oss]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('"x"');
    expect(problems[1]).toContain('already exists');
  });

  it('treats a missing setting as no profiles and a non-list as a problem', () => {
    expect(parseProfiles(undefined)).toEqual({ profiles: [], problems: [] });
    expect(parseProfiles({}).problems).toHaveLength(1);
  });

  it('never echoes a key put in the settings by mistake', () => {
    const { problems } = parseProfiles([
      { name: 'leak', provider: 'cos', region: 'ap-guangzhou', endpoint: 'http://AKIDsecret:hunter2@host' },
    ]);
    expect(problems.join(' ')).not.toContain('hunter2');
    expect(problems.join(' ')).not.toContain('AKIDsecret');
  });
});

describe('profile validation', () => {
  it('refuses names that would break tree URIs, and duplicates whatever the case', () => {
    expect(validateProfileName('a/b')).toBeDefined();
    expect(validateProfileName('  ')).toBeDefined();
    expect(validateProfileName('Prod', ['prod'])).toContain('already exists');
    expect(validateProfileName('prod-2', ['prod'])).toBeUndefined();
  });

  it('accepts http(s) endpoints only, without credentials in them', () => {
    expect(validateEndpoint('http://127.0.0.1:9000')).toBeUndefined();
    expect(validateEndpoint('')).toBeUndefined();
    expect(validateEndpoint('ftp://x')).toBeDefined();
    expect(validateEndpoint('https://id:key@cos.example.com')).toBeDefined();
  });
});

describe('changedProfileNames', () => {
  it('lists added, removed and edited profiles only', () => {
    const edited = { ...cos, region: 'ap-beijing' };
    const added: ProfileConfig = { name: 'new', provider: 'oss', region: 'oss-cn-beijing' };
    expect(changedProfileNames([cos, oss], [cos, oss])).toEqual([]);
    expect(changedProfileNames([cos, oss], [edited, added]).sort()).toEqual(['demo-oss', 'new', 'prod']);
  });
});

describe('stored credentials', () => {
  it('round-trips with and without a session token', () => {
    const keys = { accessKeyId: 'id', secretAccessKey: 'secret' };
    expect(parseStoredCredentials(serializeCredentials(keys))).toEqual(keys);
    const sts = { ...keys, sessionToken: 'token' };
    expect(parseStoredCredentials(serializeCredentials(sts))).toEqual(sts);
  });

  it('treats damaged or incomplete entries as no keys', () => {
    expect(parseStoredCredentials(undefined)).toBeUndefined();
    expect(parseStoredCredentials('{')).toBeUndefined();
    expect(parseStoredCredentials('{"accessKeyId":"id"}')).toBeUndefined();
  });

  it("falls back to each cloud's environment variables", () => {
    const env = {
      COS_SECRET_ID: 'cid',
      COS_SECRET_KEY: 'ckey',
      OSS_ACCESS_KEY_ID: 'oid',
      OSS_ACCESS_KEY_SECRET: 'okey',
      OSS_SESSION_TOKEN: 'tok',
    };
    expect(credentialsFromEnv('cos', env)).toEqual({ accessKeyId: 'cid', secretAccessKey: 'ckey' });
    expect(credentialsFromEnv('oss', env)).toEqual({ accessKeyId: 'oid', secretAccessKey: 'okey', sessionToken: 'tok' });
    expect(credentialsFromEnv('cos', { COS_SECRET_ID: 'cid' })).toBeUndefined();
  });

  it('builds connection options that keep keys out of the settings entry', () => {
    const keys = { accessKeyId: 'id', secretAccessKey: 'secret' };
    expect(connectionOptionsFor(oss, keys)).toEqual({
      provider: 'oss',
      region: 'oss-cn-hangzhou',
      endpoint: 'http://127.0.0.1:9000',
      credentials: keys,
    });
    expect(JSON.stringify(toSettingsEntry({ ...cos, ...keys } as ProfileConfig))).not.toContain('secret');
  });
});

describe('profile command arguments', () => {
  it('finds the profile name in strings, profile objects, tree nodes and remote URIs', () => {
    expect(profileNameOf('prod')).toBe('prod');
    expect(profileNameOf(cos)).toBe('prod');
    expect(profileNameOf({ profile: 'prod', bucket: 'b' })).toBe('prod');
    expect(profileNameOf({ profileName: 'prod' })).toBe('prod');
    expect(profileNameOf({ location: { profile: 'prod' } })).toBe('prod');
    expect(profileNameOf({ profile: cos })).toBe('prod');
    expect(profileNameOf({ kind: 'error', parent: { kind: 'profile', profile: cos, location: { profile: 'prod' } } })).toBe('prod');
    expect(profileNameOf({ scheme: 'bucket-integrity', path: '/prod/bucket/key' })).toBe('prod');
    expect(profileNameOf({ resourceUri: { scheme: 'bucket-integrity', path: '/my%20profile' } })).toBe('my profile');
    expect(profileNameOf({ scheme: 'file', path: '/home/x' })).toBeUndefined();
    expect(profileNameOf(undefined)).toBeUndefined();
    expect(profileNameOf({ name: 'not-a-profile' })).toBeUndefined();
  });

  it("reads keys under either cloud's names", () => {
    expect(credentialsOf({ secretId: 'a', secretKey: 'b' })).toEqual({ accessKeyId: 'a', secretAccessKey: 'b' });
    expect(credentialsOf({ accessKeyId: 'a', accessKeySecret: 'b', token: 't' })).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
      sessionToken: 't',
    });
    expect(credentialsOf({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })).toEqual({ accessKeyId: 'a', secretAccessKey: 'b' });
    expect(credentialsOf({ accessKeyId: 'a' })).toBeUndefined();
  });

  it('accepts a complete profile object and reports what is wrong with an incomplete one', () => {
    expect(profileConfigOf({ ...oss, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })).toEqual({ profile: oss, problems: [] });
    expect(profileConfigOf({ name: 'x', provider: 'cos' }).problems.length).toBeGreaterThan(0);
    expect(profileConfigOf(undefined)).toEqual({ problems: [] });
  });

  it('reads only the fields an edit gives', () => {
    expect(profileChangesOf({ region: 'ap-beijing' })).toEqual({ region: 'ap-beijing' });
    expect(profileChangesOf({ endpoint: '' })).toEqual({ endpoint: undefined });
    expect(profileChangesOf({})).toBeUndefined();
  });
});
