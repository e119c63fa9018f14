import * as l10n from '@vscode/l10n';
import { chooseInventory, reportLocation, type InventoryChoice } from '../../inventory/choice';
import { findLatestManifest } from '../../inventory/layout';
import type { ObjectStore } from '../../storage/types';

/**
 * What Verify and Compare with Bucket ask when neither an inventory report nor the record can serve a
 * prefix, so every object would cost a HEAD, and what they read of the bucket's inventories to ask it (which
 * inventory serves a prefix is `inventory/choice.ts`). Editor-free, so the questions are unit-tested.
 */

/** What the HEAD route goes on to do: the command that asks. */
export type HeadAction = 'verify' | 'compare';

/** "about 20,000 HEAD requests", or "one HEAD request per object" when the count is unknown. */
export function headCostText(objects: number | undefined): string {
  if (objects === undefined) return 'one HEAD request per object (the number of objects is not known before listing them)';
  return objects === 1
    ? l10n.t('about {0} HEAD request (one per object)', objects.toLocaleString('en-US'))
    : l10n.t('about {0} HEAD requests (one per object)', objects.toLocaleString('en-US'));
}

export const ENABLE_BUTTON = l10n.t('Enable CRC Inventory…');

function headButton(objects: number | undefined, action: HeadAction): string {
  const count = objects?.toLocaleString('en-US');
  if (action === 'compare') return count === undefined ? l10n.t('Compare with HEAD') : l10n.t('Compare with {0} HEAD requests', count);
  return count === undefined ? l10n.t('Verify with HEAD') : l10n.t('Verify with {0} HEAD requests', count);
}

/**
 * What is asked when the record knows nothing of the prefix (`where`) and no report serves it: why there is
 * no CRC-64 report, what one HEAD per object costs, and (when none has Crc64) to enable one. `choice`
 * undefined: the inventory configuration could not be read.
 */
export function noRecordQuestion(
  where: string,
  bucket: string,
  choice: InventoryChoice | undefined,
  objects: number | undefined,
  action: HeadAction = 'verify',
): { text: string; buttons: string[] } {
  const cost = l10n.t('Without it every object needs a HEAD request: {0}.', headCostText(objects));
  if (choice?.kind === 'crc64') {
    return {
      text: l10n.t(
        'The CRC inventory "{0}" of {1} has written no report yet, so the CRC record knows nothing of {2}. {3}',
        choice.config.id,
        bucket,
        where,
        cost,
      ),
      buttons: [headButton(objects, action)],
    };
  }
  if (choice?.kind === 'no-crc64') {
    return {
      text: l10n.t(
        'The inventories of {0} ({1}) were configured without the Crc64 field, so they hold no CRC-64. {2}',
        bucket,
        choice.ids.join(', '),
        cost,
      ),
      buttons: [headButton(objects, action), ENABLE_BUTTON],
    };
  }
  const none = choice ? l10n.t('{0} has no inventory.', bucket) : l10n.t('The inventory configuration of {0} cannot be read.', bucket);
  return {
    text: l10n.t('{0} The CRC record knows nothing of {1} yet. {2}', none, where, cost),
    buttons: [headButton(objects, action), ...(choice ? [ENABLE_BUTTON] : [])],
  };
}

/** A side that no report and nothing in the record can serve. */
export interface UnservedSide {
  /** `bucket/prefix`. */
  where: string;
  bucket: string;
  choice: InventoryChoice | undefined;
  objects: number | undefined;
}

/**
 * One question for every side of a compare that would cost a HEAD per object: each side's reason, then one
 * button for the whole HEAD route (its total when every side's count is known) and, when a side can get
 * one, Enable CRC Inventory… for the first such side (`enableSide`, its index in `sides`).
 */
export function unservedQuestion(
  sides: readonly UnservedSide[],
  action: HeadAction,
): { text: string; buttons: string[]; enableSide?: number } {
  const asked = sides.map((s) => noRecordQuestion(s.where, s.bucket, s.choice, s.objects, action));
  const counts = sides.map((s) => s.objects);
  const total = counts.every((c) => c !== undefined) ? counts.reduce((a, b) => a + b, 0) : undefined;
  const enable = asked.findIndex((q) => q.buttons.includes(ENABLE_BUTTON));
  return {
    text: asked.map((q) => q.text).join('\n\n'),
    buttons: [headButton(total, action), ...(enable >= 0 ? [ENABLE_BUTTON] : [])],
    ...(enable >= 0 ? { enableSide: enable } : {}),
  };
}

/**
 * Which of the bucket's inventories serves the prefix, or undefined when its configuration cannot be read
 * (no right to read it: only the HEAD route is left); `onUnreadable` hears why. A cancelled read rejects.
 */
export async function readInventoryChoice(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  o: { signal?: AbortSignal; onUnreadable?(err: Error): void } = {},
): Promise<InventoryChoice | undefined> {
  try {
    return chooseInventory(await store.listInventories(bucket, o.signal ? { signal: o.signal } : {}), prefix);
  } catch (err) {
    if (o.signal?.aborted) throw err;
    o.onUnreadable?.(err as Error);
    return undefined;
  }
}

/** Objects the newest report of one of the bucket's inventories lists, for the HEAD cost estimate. */
export async function objectCount(store: ObjectStore, bucket: string, choice: InventoryChoice | undefined): Promise<number | undefined> {
  if (choice?.kind !== 'crc64' && choice?.kind !== 'no-crc64') return undefined;
  const configs =
    choice.kind === 'crc64' ? [choice.config] : (await store.listInventories(bucket)).filter((c) => choice.ids.includes(c.id));
  for (const config of configs) {
    try {
      return (await findLatestManifest(store, reportLocation(store.provider, bucket, config))).manifest.objectCount;
    } catch {
      // No report yet: try the next one.
    }
  }
  return undefined;
}
