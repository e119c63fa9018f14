import * as vscode from 'vscode';
import { importInventory as importReport, type ImportResult } from '../../../inventory/import';
import { InventoryError } from '../../../inventory/errors';
import type { ObjectStore } from '../../../storage/types';
import { formatCount } from '../../../util/format';
import { withCancellableProgress } from '../../shared/progress';
import { chooseInventory, ENABLE_BUTTON, inventoryLocation } from '../inventoryPlan';
import { verifyTargetOf, type VerifyTarget } from '../targets';
import type { VerifyFeature } from '../verifyFeature';

function offerEnable(target: VerifyTarget, message: string): void {
  void vscode.window.showWarningMessage(message, ENABLE_BUTTON).then((pick) =>
    pick === ENABLE_BUTTON ? vscode.commands.executeCommand('bucketIntegrity.enableInventory', { profile: target.profile, bucket: target.bucket }) : undefined,
  );
}

/**
 * The newest report of the bucket's CRC inventory into the record (only rows below the target's prefix),
 * under a cancellable progress notification. `undefined` when there is nothing to import (the user is
 * told why and offered to enable an inventory) or the user cancelled.
 */
export async function importFor(feature: VerifyFeature, target: VerifyTarget, store: ObjectStore): Promise<ImportResult | undefined> {
  const choice = chooseInventory(await store.listInventories(target.bucket), target.prefix);
  if (choice.kind === 'none') {
    offerEnable(target, `${target.bucket} has no inventory, so there is no CRC-64 report to import.`);
    return undefined;
  }
  if (choice.kind === 'no-crc64') {
    offerEnable(target, `The inventories of ${target.bucket} (${choice.ids.join(', ')}) do not list the Crc64 field (or do not cover ${target.prefix || 'the whole bucket'}), so they hold no CRC-64.`);
    return undefined;
  }
  const location = inventoryLocation(store.provider, target.bucket, choice.config);
  try {
    const result = await withCancellableProgress(`Importing the CRC inventory of ${target.bucket}`, (signal, report) =>
      feature.services.record.use((record) =>
        importReport({
          store,
          record,
          profile: target.profile,
          location,
          prefix: target.prefix,
          signal,
          onProgress: (p) => report(`file ${Math.min(p.filesDone + 1, p.files)} of ${p.files} · ${formatCount(p.rows)} objects`),
        }),
      ),
    );
    if (result) tellImported(feature, target, result);
    return result;
  } catch (err) {
    if (err instanceof InventoryError && err.kind === 'no-crc64-field') {
      offerEnable(target, `${err.message} ${err.hint ?? ''}`.trim());
      return undefined;
    }
    throw err;
  }
}

function tellImported(feature: VerifyFeature, target: VerifyTarget, result: ImportResult): void {
  const age = result.createdAt ? ` of ${new Date(result.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : ` ${result.run}`;
  feature.log.info(`Imported ${result.rows} objects of ${target.bucket} from ${result.manifestKey}; ${result.failed.length} files failed.`);
  for (const f of result.failed) feature.log.warn(`Inventory file ${f.key} was not imported: ${f.message}`);
  const text = `${formatCount(result.rows)} objects of ${target.bucket} recorded from the inventory${age}. Verify lists the bucket live and HEADs only what changed since.`;
  if (result.failed.length === 0) {
    void vscode.window.showInformationMessage(text);
    return;
  }
  const show = 'Show Log';
  void vscode.window
    .showWarningMessage(`${text} ${result.failed.length} of ${result.files} report files were damaged and skipped (${result.failed[0].key}: ${result.failed[0].message}).`, show)
    .then((pick) => (pick === show ? feature.log.channel.show() : undefined));
}

/** `bucketIntegrity.importInventory`: on a bucket or folder in the tree, or from the palette. */
export async function importInventory(feature: VerifyFeature, arg?: unknown): Promise<ImportResult | undefined> {
  const target = await verifyTargetOf(feature, arg, 'Import CRC Inventory', false);
  const store = await feature.services.storeFor(target.profile);
  return importFor(feature, target, store);
}
