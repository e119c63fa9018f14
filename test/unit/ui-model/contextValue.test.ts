import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { contextValueOf, parseContextValue, whenRegex } from '../../../src/ui/buckets/contextValue';
import { readManifest } from '../../support/manifest';

/** Whether a `view/item/context` menu entry of package.json for this command matches the value. */
function menuMatches(command: string, value: string): boolean {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
  };
  return (pkg.contributes.menus['view/item/context'] ?? [])
    .filter((m) => m.command === command && m.when)
    .map((m) => /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(m.when!))
    .some((m) => !!m && new RegExp(m[1]).test(value));
}

describe('context values', () => {
  it('joins sorted, de-duplicated tokens after the kind and skips missing ones', () => {
    expect(contextValueOf('object', ['mapped', 'crc', undefined, false, 'crc'])).toBe('bucketIntegrity:object+crc+mapped');
    expect(contextValueOf('bucket')).toBe('bucketIntegrity:bucket');
  });

  it('parses back what it builds', () => {
    const parsed = parseContextValue('bucketIntegrity:folder+filtered+mapped');
    expect(parsed?.kind).toBe('folder');
    expect([...parsed!.tokens]).toEqual(['filtered', 'mapped']);
    expect(parseContextValue('something-else')).toBeUndefined();
  });

  it('builds when-clause regexes that match exactly the intended items', () => {
    const anyObject = new RegExp(whenRegex(['object']));
    expect(anyObject.test(contextValueOf('object', ['crc']))).toBe(true);
    expect(anyObject.test(contextValueOf('object'))).toBe(true);
    expect(anyObject.test(contextValueOf('folder'))).toBe(false);

    const filtered = new RegExp(whenRegex(['bucket', 'folder'], ['filtered']));
    expect(filtered.test(contextValueOf('folder', ['filtered', 'mapped']))).toBe(true);
    expect(filtered.test(contextValueOf('bucket', ['mapped']))).toBe(false);
    expect(filtered.test(contextValueOf('object', ['filtered']))).toBe(false);

    const twoTokens = new RegExp(whenRegex(['object'], ['mapped', 'crc']));
    expect(twoTokens.test(contextValueOf('object', ['crc', 'mapped']))).toBe(true);
    expect(twoTokens.test(contextValueOf('object', ['crc']))).toBe(false);
  });

  it('the package.json menus of the Buckets view match the values the tree sets', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
    };
    const items = pkg.contributes.menus['view/item/context'] ?? [];
    const whenOf = (command: string): RegExp[] =>
      items
        .filter((m) => m.command === command && m.when)
        .map((m) => /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(m.when!))
        .filter((m): m is RegExpExecArray => !!m)
        .map((m) => new RegExp(m[1]));
    const matches = (command: string, value: string): boolean => whenOf(command).some((r) => r.test(value));
    const object = contextValueOf('object', ['crc', 'mapped']);
    const legacy = contextValueOf('object', ['nocrc']);
    const unknownCrc = contextValueOf('object');
    const folder = contextValueOf('folder', ['filtered']);
    const bucket = contextValueOf('bucket');
    expect(matches('bucketIntegrity.copyCrc64', object)).toBe(true);
    expect(matches('bucketIntegrity.copyCrc64', folder)).toBe(false);
    expect(matches('bucketIntegrity.copyKey', object)).toBe(true);
    expect(matches('bucketIntegrity.compareWithLocal', object)).toBe(true);
    expect(matches('bucketIntegrity.compareWithLocal', folder)).toBe(true);
    expect(matches('bucketIntegrity.compareWithLocal', bucket)).toBe(true);
    // Offered where the object has no CRC or it is not known yet, not where the service stored one.
    expect(matches('bucketIntegrity.computeRemoteCrc', legacy)).toBe(true);
    expect(matches('bucketIntegrity.computeRemoteCrc', unknownCrc)).toBe(true);
    expect(matches('bucketIntegrity.computeRemoteCrc', object)).toBe(false);
    expect(matches('bucketIntegrity.clearFilter', folder)).toBe(true);
    expect(matches('bucketIntegrity.clearFilter', bucket)).toBe(false);
    expect(matches('bucketIntegrity.filterPrefix', bucket)).toBe(true);
    // Verify Bucket on buckets, Verify Prefix on folders, Import on both, Enable CRC Inventory on buckets.
    const mappedBucket = contextValueOf('bucket', ['mapped', 'filtered']);
    expect([bucket, mappedBucket, folder, object].map((v) => matches('bucketIntegrity.verifyBucket', v))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([bucket, folder, object].map((v) => matches('bucketIntegrity.verifyPrefix', v))).toEqual([false, true, false]);
    expect([bucket, folder, object].map((v) => matches('bucketIntegrity.importInventory', v))).toEqual([true, true, false]);
    expect([bucket, mappedBucket, folder, object].map((v) => matches('bucketIntegrity.enableCrcInventory', v))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('offers Append to Object… only on OSS objects (the provider token), not on COS ones or containers', () => {
    const ossObject = contextValueOf('object', ['crc', 'oss', 'mapped']);
    const cosObject = contextValueOf('object', ['crc', 'cos']);
    expect(ossObject).toBe('bucketIntegrity:object+crc+mapped+oss');
    const values = [
      ossObject,
      contextValueOf('object', ['oss']),
      cosObject,
      contextValueOf('object'),
      contextValueOf('folder', ['oss']),
      contextValueOf('bucket', ['oss']),
    ];
    expect(values.map((v) => menuMatches('bucketIntegrity.appendToObject', v))).toEqual([true, true, false, false, false, false]);
    // The provider token breaks none of the other object menus.
    expect(menuMatches('bucketIntegrity.copyCrc64', cosObject)).toBe(true);
    expect(menuMatches('bucketIntegrity.computeRemoteCrc', contextValueOf('object', ['nocrc', 'oss']))).toBe(true);
    expect(menuMatches('bucketIntegrity.computeRemoteCrc', ossObject)).toBe(false);
  });
});

describe('Buckets view contributions', () => {
  const pkg = readManifest() as {
    contributes: {
      commands: Array<{ command: string }>;
      viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
      views: Record<string, Array<{ id: string }>>;
      viewsWelcome: Array<{ view: string; contents: string; when?: string }>;
      menus: Record<string, Array<{ command?: string; submenu?: string; when?: string; group?: string }>>;
      submenus?: Array<{ id: string; label: string }>;
    };
  };
  const commands = new Set(pkg.contributes.commands.map((c) => c.command));

  it('puts the view in its own container with an icon', () => {
    const container = pkg.contributes.viewsContainers.activitybar.find((c) => c.id === 'bucketIntegrity');
    expect(container?.icon).toBe('media/activity.svg');
    expect(readFileSync(container!.icon, 'utf8')).toContain('<svg');
    expect(pkg.contributes.views.bucketIntegrity.map((v) => v.id)).toContain('bucketIntegrity.buckets');
  });

  it('offers adding a profile and opening the settings when there is none', () => {
    // The trusted workspace's welcome (Restricted Mode has its own, tested with the trust rules).
    const welcome = pkg.contributes.viewsWelcome.find((w) => w.view === 'bucketIntegrity.buckets' && w.when === 'isWorkspaceTrusted');
    expect(welcome?.contents).toContain('(command:bucketIntegrity.addProfile)');
    expect(welcome?.contents).toContain('(command:workbench.action.openSettings');
    expect(commands.has('bucketIntegrity.addProfile')).toBe(true);
  });

  it('menus only name contributed commands and submenus', () => {
    const submenus = new Set((pkg.contributes.submenus ?? []).map((s) => s.id));
    for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
      for (const item of items) {
        if (item.submenu) expect(submenus.has(item.submenu), `${menu}: ${item.submenu}`).toBe(true);
        else expect(commands.has(item.command!), `${menu}: ${item.command}`).toBe(true);
      }
    }
  });

  it('keeps the Explorer entries in a Bucket Integrity submenu of their own, away from Delete', () => {
    const explorer = pkg.contributes.menus['explorer/context'];
    const submenu = explorer.find((i) => i.submenu === 'bucketIntegrity.explorer');
    expect(submenu?.group).toMatch(/^4_bucketIntegrity\b/);
    expect(pkg.contributes.submenus?.find((s) => s.id === 'bucketIntegrity.explorer')?.label).toBe('Bucket Integrity');
    // Nothing of ours in the built-in "7_modification" group (Rename, Delete, Delete Permanently).
    expect(explorer.filter((i) => i.group?.startsWith('7_modification'))).toEqual([]);
    const inside = pkg.contributes.menus['bucketIntegrity.explorer'].map((i) => i.command);
    expect(inside).toEqual(
      expect.arrayContaining([
        'bucketIntegrity.upload',
        'bucketIntegrity.compareWithRemote',
        'bucketIntegrity.computeCrc64',
        'bucketIntegrity.mapFolder',
        'bucketIntegrity.showLog',
      ]),
    );
  });

  it('offers the bucket operations on the right kinds of items', () => {
    const items = pkg.contributes.menus['view/item/context'];
    const whenOf = (command: string): string => items.find((i) => i.command === command)?.when ?? '';
    const matches = (command: string, value: string): boolean =>
      new RegExp(/viewItem =~ \/(.*?)\/(?: |$)/.exec(whenOf(command))![1]).test(value);
    const values = {
      profile: contextValueOf('profile', ['secret']),
      bucket: contextValueOf('bucket', ['cos']),
      folder: contextValueOf('folder', ['oss']),
      object: contextValueOf('object', ['crc', 'cos']),
    };
    const expected: Record<string, Array<keyof typeof values>> = {
      'bucketIntegrity.deleteObjects': ['folder', 'object'],
      'bucketIntegrity.createFolder': ['bucket', 'folder'],
      'bucketIntegrity.createBucket': ['profile'],
      'bucketIntegrity.copyUrl': ['object'],
      'bucketIntegrity.copyPresignedUrl': ['object'],
    };
    for (const [command, kinds] of Object.entries(expected)) {
      for (const [kind, value] of Object.entries(values))
        expect(matches(command, value), `${command} on ${kind}`).toBe(kinds.includes(kind as keyof typeof values));
    }
  });
});

describe('mapped items', () => {
  it('marks objects inside a mapped prefix, and buckets or folders that hold one', async () => {
    const { BucketTreeModel } = await import('../../../src/ui/buckets/treeModel');
    const model = new BucketTreeModel({
      profiles: () => [],
      mappings: () => [{ localFolder: 'site', profile: 'p', bucket: 'b', prefix: 'www/site/' }],
      pageSize: () => 10,
      listBuckets: async () => [],
      list: async () => ({ objects: [], prefixes: [] }),
    });
    expect(model.isMapped({ profile: 'p', bucket: 'b', key: 'www/site/index.html' })).toBe(true);
    expect(model.isMapped({ profile: 'p', bucket: 'b', key: 'www/' })).toBe(true);
    expect(model.isMapped({ profile: 'p', bucket: 'b', key: '' })).toBe(true);
    expect(model.isMapped({ profile: 'p', bucket: 'b', key: 'www/site/' })).toBe(true);
    expect(model.isMapped({ profile: 'p', bucket: 'b', key: 'www' })).toBe(false);
    expect(model.isMapped({ profile: 'p', bucket: 'b', key: 'www/other.txt' })).toBe(false);
    expect(model.isMapped({ profile: 'p', bucket: 'other', key: 'www/site/index.html' })).toBe(false);
    expect(model.isMapped({ profile: 'q', bucket: 'b', key: 'www/site/index.html' })).toBe(false);
  });

  it('gives no mapped menus to a key the mapping would refuse (one rule with downloads and compares)', async () => {
    const { BucketTreeModel } = await import('../../../src/ui/buckets/treeModel');
    const { remoteToLocal } = await import('../../../src/ui/shared/mappingModel');
    const mappings = [{ localFolder: 'site', profile: 'p', bucket: 'b', prefix: 'www/site/' }];
    const model = new BucketTreeModel({
      profiles: () => [],
      mappings: () => mappings,
      pageSize: () => 10,
      listBuckets: async () => [],
      list: async () => ({ objects: [], prefixes: [] }),
    });
    for (const key of ['www/site/../x', 'www/site/../../etc/passwd', 'www/site//x', 'www/site/./a', 'www/site/a\\..\\b', 'www/site/../']) {
      expect(remoteToLocal(mappings, 'p', 'b', key), key).toBeUndefined();
      expect(model.isMapped({ profile: 'p', bucket: 'b', key }), key).toBe(false);
    }
    expect(model.isMapped({ profile: 'p', bucket: 'b', key: 'www/site/a/b.txt' })).toBe(true);
  });
});
