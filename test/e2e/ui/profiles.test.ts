import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { declareTestSecret } from '../host/context';
import { eventually, uiContext, Workbench } from './workbench';

/**
 * Adding and removing a profile the way a person does: the palette, the quick picks, the password boxes,
 * the confirmation dialog. The keys typed must end up nowhere but the secret storage.
 */
const PROFILE = 'UI Check';
const SECRET = 'ui-check-secret-value';

describe('profiles (UI)', () => {
  const ctx = uiContext();
  let wb: Workbench;
  // Profiles are written to the user settings, the only place they are read from.
  const settingsFile = ctx.userSettingsFile!;
  const profileNames = (): string[] => {
    try {
      const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, Array<{ name: string }>>;
      return (settings['bucketIntegrity.profiles'] ?? []).map((p) => p.name);
    } catch {
      return [];
    }
  };

  before(async function () {
    this.timeout(120_000);
    wb = await Workbench.forFile(ctx);
    // The palette knows the extension's commands once its contributions are loaded (its activity bar entry shows).
    await wb.page
      .locator('.activitybar .action-item [aria-label*="Bucket Integrity"]')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await wb.screenshot(`profiles-failed-${this.currentTest.title.slice(0, 20).replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  const answer = (step: string, text: string, expectPassword = false) => wb.answerInput(step, text, expectPassword);

  it('adds a profile through the prompts, keys in password boxes', async () => {
    declareTestSecret('SecretKey typed into the UI', SECRET);
    await wb.runCommand('Bucket Integrity: Add Profile…');
    await wb.pickQuickItem('Tencent Cloud COS');
    await answer('Add Profile (2/4)', PROFILE);
    await answer('Add Profile (3/4)', ctx.emulator?.cos.region ?? 'ap-guangzhou');
    await answer('Add Profile (4/4)', ctx.emulator?.endpoint ?? 'http://127.0.0.1:9');
    await wb.pickQuickItem('Enter the keys now');
    await answer('SecretId of', ctx.emulator?.cos.secretId ?? 'ui-check-id', true);
    await answer('SecretKey of', SECRET, true);
    await answer('STS session token', '', true);
    await eventually('the profile in the user settings', async () => profileNames().includes(PROFILE));
    await wb.screenshot('profiles-01-added');
    // Toasts are not shown in this headless window; the message is in the notification center.
    await wb.runCommand('Notifications: Show Notifications');
    await eventually('the "profile added" message', () =>
      wb.page.locator('.notifications-center', { hasText: `Profile "${PROFILE}" added.` }).isVisible(),
    );
    assert.ok(!fs.readFileSync(settingsFile, 'utf8').includes(SECRET), 'the secret must not reach the settings');
    await wb.clearNotifications();
    await wb.runCommand('Notifications: Hide Notifications').catch(() => undefined);
    await wb.page
      .locator('.notifications-center.visible')
      .waitFor({ state: 'hidden' })
      .catch(() => undefined);
  });

  it('removes it after confirmation', async () => {
    await wb.runCommand('Bucket Integrity: Remove Profile…');
    await wb.pickQuickItem(PROFILE);
    const remove = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Remove' }).first();
    await remove.waitFor({ state: 'visible' });
    await wb.screenshot('profiles-02-confirm-remove');
    await remove.click();
    await eventually('the profile gone from the settings', async () => !profileNames().includes(PROFILE));
  });
});
