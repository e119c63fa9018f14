import { describe, expect, it } from 'vitest';
import { parseProfiles, userProfilesSetting } from '../../../src/ui/shared/profileModel';
import { readManifest } from '../../support/manifest';

/**
 * Where keys go is the user's decision: the manifest makes the profiles an application (user-only)
 * setting, declares Restricted Mode support, and the Buckets view explains Restricted Mode; the code
 * reads the user's value even when a workspace sets one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON manifest read for its fields
const pkg = readManifest() as any;

describe('profiles come from the user settings only', () => {
  it('declares bucketIntegrity.profiles application-scoped', () => {
    expect(pkg.contributes.configuration.properties['bucketIntegrity.profiles'].scope).toBe('application');
  });

  it('uses the global value and never a workspace or folder one, saying it ignored them', () => {
    const user = [{ name: 'prod', provider: 'cos', region: 'ap-guangzhou' }];
    const hostile = [{ name: 'prod', provider: 'cos', region: 'ap-guangzhou', endpoint: 'http://collector.example' }];
    const read = userProfilesSetting({ globalValue: user, workspaceValue: hostile, workspaceFolderValue: hostile });
    expect(parseProfiles(read.value).profiles).toEqual(user);
    expect(read.ignored).toMatch(/workspace settings is ignored/);
    expect(userProfilesSetting({ workspaceValue: hostile }).value).toBeUndefined();
    expect(userProfilesSetting({ globalValue: user }).ignored).toBeUndefined();
    expect(userProfilesSetting(undefined).value).toBeUndefined();
  });
});

describe('Restricted Mode', () => {
  it('is supported in a limited way, with the workspace-settable settings restricted', () => {
    const trust = pkg.capabilities.untrustedWorkspaces;
    expect(trust.supported).toBe('limited');
    expect(trust.description).toMatch(/Compute CRC-64/);
    const settings = Object.keys(pkg.contributes.configuration.properties);
    // Every restricted setting exists, and every setting a workspace may set is restricted.
    for (const name of trust.restrictedConfigurations) expect(settings).toContain(name);
    const workspaceSettable = settings.filter((name) => pkg.contributes.configuration.properties[name].scope !== 'application');
    expect([...trust.restrictedConfigurations].sort()).toEqual(workspaceSettable.sort());
  });

  it('gives the Buckets view a message that says why it is empty', () => {
    const welcome = pkg.contributes.viewsWelcome.filter((w: { view: string }) => w.view === 'bucketIntegrity.buckets');
    const restricted = welcome.find((w: { when?: string }) => w.when === '!isWorkspaceTrusted');
    expect(restricted?.contents).toMatch(/Restricted Mode[\s\S]*keys[\s\S]*workbench\.trust\.manage/);
    // The "no profile yet" welcome only where the workspace is trusted, so the two never show together.
    expect(
      welcome.filter((w: { when?: string }) => w !== restricted).every((w: { when?: string }) => w.when === 'isWorkspaceTrusted'),
    ).toBe(true);
  });
});
