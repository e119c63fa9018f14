import * as vscode from 'vscode';
import { StorageError } from '../../storage/errors';
import { isArchived, RESTORE_TIERS, type RestoreRequest, type RestoreTier } from '../../storage/objectState';
import type { ObjectStore } from '../../storage/types';
import { restoreAndWait, restoreEventText } from '../../transfer/restore/restoringStore';
import { numberSettingOf } from './settings';
import { notify } from './notify';
import { userMessage } from '../commands';
import { isCancelled } from '../../util/errors';

/**
 * Restore… in the editor: ask the tier and days, restore with a cancellable progress notification that
 * tracks it until the copy is readable, then go on with what needed the bytes. Whatever needs an
 * object's bytes (download, open, Open Changes, Compute Remote CRC-64) offers this instead of failing
 * with the service's 403.
 */

export interface RestorePlace {
  profile: string;
  bucket: string;
  key: string;
}

export interface RestoreServices {
  storeFor(profileName: string): Promise<ObjectStore>;
  readonly log: { info(line: string): void };
}

export const RESTORE_ACTION = vscode.l10n.t('Restore…');

const TIER_TEXT: Record<RestoreTier, string> = {
  Expedited: 'fastest (minutes to an hour), costs the most',
  Standard: 'hours',
  Bulk: 'slowest (up to a day or two), costs the least',
};

/** A `{ tier, days }` argument (scripts and tests), checked; undefined when absent or not one. */
export function restoreRequestOf(arg: unknown): RestoreRequest | undefined {
  const r = arg as { tier?: unknown; days?: unknown } | undefined;
  if (!r || typeof r !== 'object') return undefined;
  const days = Number(r.days ?? 1);
  const tier = (r.tier ?? 'Standard') as RestoreTier;
  if (!RESTORE_TIERS.includes(tier) || !Number.isInteger(days) || days < 1 || days > 365) return undefined;
  return { tier, days };
}

/** Tier and days from the user, or undefined when they cancel. */
export async function askRestoreRequest(key: string): Promise<RestoreRequest | undefined> {
  const tier = await vscode.window.showQuickPick(
    RESTORE_TIERS.map((t) => ({ label: t, description: TIER_TEXT[t] })),
    { title: vscode.l10n.t('Restore {0}: how fast', key), placeHolder: vscode.l10n.t('Restore tier') },
  );
  if (!tier) return undefined;
  const days = await vscode.window.showInputBox({
    title: vscode.l10n.t('Restore {0}: for how many days', key),
    prompt: vscode.l10n.t('Days the restored copy stays readable (1 to 365)'),
    value: '1',
    validateInput: (v) =>
      /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 365 ? undefined : vscode.l10n.t('A whole number of days from 1 to 365.'),
  });
  if (days === undefined) return undefined;
  return { tier: tier.label as RestoreTier, days: Number(days.trim()) };
}

/**
 * Restore one object and wait until it is readable, under a cancellable notification. Resolves to when
 * the copy expires (or undefined when not told), or to undefined when cancelled; an object that needs no
 * restore is said so and resolves to `'not-archived'`.
 */
export async function restoreWithProgress(
  services: RestoreServices,
  place: RestorePlace,
  request: RestoreRequest,
): Promise<{ expiry?: Date } | 'not-archived' | undefined> {
  const store = await services.storeFor(place.profile);
  const info = await store.head(place.bucket, place.key);
  if (!isArchived(info)) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        '{0} is in {1} that needs no restore: its bytes can be read as they are.',
        place.key,
        info.storageClass ?? vscode.l10n.t('a storage class'),
      ),
    );
    return 'not-archived';
  }
  let expiry: Date | undefined;
  const done = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Restoring {0}', place.key), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        await restoreAndWait(store, place.bucket, place.key, {
          request,
          pollMs: numberSettingOf('restore.pollSeconds') * 1000,
          signal: controller.signal,
          onEvent: (e) => {
            const text = restoreEventText(e);
            progress.report({ message: text });
            if (e.kind !== 'waiting') services.log.info(`[restore] ${place.profile}:${place.bucket}/${place.key}: ${text}`);
            if (e.kind === 'readable') expiry = e.expiry;
          },
        });
        return true;
      } catch (err) {
        if (token.isCancellationRequested) return false;
        throw err;
      } finally {
        sub.dispose();
      }
    },
  );
  return done ? { expiry } : undefined;
}

/** Whether an error is the service refusing the bytes of an archived object. */
export function isArchivedError(err: unknown): err is StorageError {
  return err instanceof StorageError && err.kind === 'archived';
}

/**
 * The message for an archived object, with Restore… (tier, days, tracked) that then runs `retry` (what
 * needed the bytes) with the request it restored by. Not awaited by callers: the command that failed
 * ends, the offer stays. Shown through `notify`, so the extension's API lists it.
 */
export async function offerRestore(
  services: RestoreServices,
  place: RestorePlace,
  what: string,
  retry?: (request: RestoreRequest) => Thenable<unknown> | Promise<unknown>,
): Promise<void> {
  await notify(
    'warning',
    vscode.l10n.t(
      '{0} is archived: {1} needs its bytes, which can be read once it is restored. Checks by CRC-64 (verify, compare) work without a restore.',
      place.key,
      what,
    ),
    { log: false, actions: { [RESTORE_ACTION]: () => restoreThen(services, place, undefined, retry) } },
  );
}

/**
 * Restore… with `request` (asked when absent), tracked, then `retry`. A failed restore (one whose copy
 * expired before it was seen readable, among others) is said; `retry` itself says its own failures.
 */
export async function restoreThen(
  services: RestoreServices,
  place: RestorePlace,
  request: RestoreRequest | undefined,
  retry?: (request: RestoreRequest) => Thenable<unknown> | Promise<unknown>,
): Promise<boolean> {
  const asked = request ?? (await askRestoreRequest(place.key));
  if (!asked) return false;
  let result;
  try {
    result = await restoreWithProgress(services, place, asked);
  } catch (err) {
    void notify('error', vscode.l10n.t('Could not restore {0}: {1}', place.key, userMessage(err)));
    return false;
  }
  if (!result || result === 'not-archived') return false;
  try {
    if (retry) await retry(asked);
  } catch (err) {
    if (!isCancelled(err)) void notify('error', userMessage(err));
  }
  return true;
}
