import * as l10n from '@vscode/l10n';
import type { InventoryChoice } from '../../inventory/choice';

export { chooseInventory, CRC_INVENTORY_ID, reportLocation, type InventoryChoice } from '../../inventory/choice';

/**
 * What Verify asks when the record cannot serve a prefix (which inventory is read is `inventory/choice.ts`).
 * Editor-free, so the questions are unit-tested.
 */

/** "about 20,000 HEAD requests", or "one HEAD request per object" when the count is unknown. */
export function headCostText(objects: number | undefined): string {
  if (objects === undefined) return 'one HEAD request per object (the number of objects is not known before listing them)';
  return objects === 1
    ? l10n.t('about {0} HEAD request (one per object)', objects.toLocaleString('en-US'))
    : l10n.t('about {0} HEAD requests (one per object)', objects.toLocaleString('en-US'));
}

export const ENABLE_BUTTON = l10n.t('Enable CRC Inventory…');

function headButton(objects: number | undefined): string {
  return objects === undefined ? l10n.t('Verify with HEAD') : l10n.t('Verify with {0} HEAD requests', objects.toLocaleString('en-US'));
}

/**
 * What Verify asks when the record knows nothing of the prefix (`where`) after importing what there was:
 * why there is no CRC-64 report, what one HEAD per object costs, and (when none has Crc64) to enable one.
 * `choice` undefined: the inventory configuration could not be read.
 */
export function noRecordQuestion(
  where: string,
  bucket: string,
  choice: InventoryChoice | undefined,
  objects: number | undefined,
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
      buttons: [headButton(objects)],
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
      buttons: [headButton(objects), ENABLE_BUTTON],
    };
  }
  const none = choice ? l10n.t('{0} has no inventory.', bucket) : l10n.t('The inventory configuration of {0} cannot be read.', bucket);
  return {
    text: l10n.t('{0} The CRC record knows nothing of {1} yet. {2}', none, where, cost),
    buttons: [headButton(objects), ...(choice ? [ENABLE_BUTTON] : [])],
  };
}
