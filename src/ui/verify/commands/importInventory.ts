import * as vscode from 'vscode';
import { importInventory as importReport, importJournal, type ImportResult } from '../../../inventory/import';
import { InventoryError } from '../../../inventory/errors';
import type { ObjectStore } from '../../../storage/types';
import { formatCount } from '../../../util/format';
import { withNotificationProgress } from '../../shared/progress';
import { chooseInventory, reportLocation, type InventoryChoice } from '../../../inventory/choice';
import { ENABLE_BUTTON } from '../../shared/noRecordQuestion';
import { verifyTargetOf, type VerifyTarget } from '../targets';
import type { VerifyFeature } from '../verifyFeature';
import { runCommand } from '../../commands';

function offerEnable(target: VerifyTarget, message: string): void {
  void vscode.window
    .showWarningMessage(message, ENABLE_BUTTON)
    .then((pick) =>
      pick === ENABLE_BUTTON
        ? runCommand('bucketIntegrity.enableCrcInventory', { profile: target.profile, bucket: target.bucket })
        : undefined,
    );
}

/** How an import runs: asked for (Import CRC Inventory), or as the first step of a verify. */
export interface ImportStep {
  /** Part of a verify: a report imported before is not read again, and a missing one is no error. */
  auto?: boolean;
  /** The inventory choice, when the caller made it already. */
  choice?: InventoryChoice;
}

function stateKey(target: VerifyTarget): string {
  return `inventory:${target.profile}:${target.bucket}:${target.prefix}`;
}

/**
 * The newest report of the bucket's CRC inventory into the record (only rows below the target's prefix),
 * under a cancellable progress notification (cancelling rejects with `CancelledError`). `undefined` when
 * there is nothing to import: asked for, the user is told why and offered to enable an inventory.
 */
export async function importFor(
  feature: VerifyFeature,
  target: VerifyTarget,
  store: ObjectStore,
  step: ImportStep = {},
): Promise<ImportResult | undefined> {
  const choice = step.choice ?? chooseInventory(await store.listInventories(target.bucket), target.prefix);
  if (choice.kind !== 'crc64') {
    if (step.auto) return undefined;
    offerEnable(
      target,
      choice.kind === 'none'
        ? vscode.l10n.t('{0} has no inventory, so there is no CRC-64 report to import.', target.bucket)
        : vscode.l10n.t(
            'The inventories of {0} ({1}) do not list the Crc64 field (or do not cover {2}), so they hold no CRC-64.',
            target.bucket,
            choice.ids.join(', '),
            target.prefix || vscode.l10n.t('the whole bucket'),
          ),
    );
    return undefined;
  }
  const location = reportLocation(store.provider, target.bucket, choice.config);
  try {
    const result = await withNotificationProgress(vscode.l10n.t('Importing the CRC inventory of {0}', target.bucket), (signal, progress) =>
      feature.services.record.use(async (record) => {
        const imported = await importReport({
          store,
          record,
          profile: target.profile,
          location,
          prefix: target.prefix,
          ...(step.auto ? { skipManifest: importJournal(record).state(stateKey(target)) } : {}),
          signal,
          onProgress: (p) =>
            progress.report({
              message: vscode.l10n.t('file {0} of {1} · {2} objects', Math.min(p.filesDone + 1, p.files), p.files, formatCount(p.rows)),
            }),
        });
        if (!imported.unchanged) importJournal(record).setState(stateKey(target), imported.manifestKey);
        return imported;
      }),
    );
    if (!result.unchanged) tellImported(feature, target, result);
    return result;
  } catch (err) {
    if (!(err instanceof InventoryError) || (err.kind !== 'no-crc64-field' && !(step.auto && err.kind === 'not-found'))) throw err;
    if (step.auto) feature.log.info(`${target.bucket}: ${err.message}`);
    else offerEnable(target, `${err.message} ${err.hint ?? ''}`.trim());
    return undefined;
  }
}

function tellImported(feature: VerifyFeature, target: VerifyTarget, result: ImportResult): void {
  const age = result.createdAt ? ` of ${new Date(result.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : ` ${result.run}`;
  feature.log.info(`Imported ${result.rows} objects of ${target.bucket} from ${result.manifestKey}; ${result.failed.length} files failed.`);
  for (const f of result.failed) feature.log.warn(`Inventory file ${f.key} was not imported: ${f.message}`);
  const text = vscode.l10n.t(
    '{0} objects of {1} recorded from the inventory{2}. Verify lists the bucket live and HEADs only what changed since.',
    formatCount(result.rows),
    target.bucket,
    age,
  );
  if (result.failed.length === 0) {
    void vscode.window.showInformationMessage(text);
    return;
  }
  const show = vscode.l10n.t('Show Log');
  void vscode.window
    .showWarningMessage(
      vscode.l10n.t(
        '{0} {1} of {2} report files were damaged and skipped ({3}: {4}).',
        text,
        result.failed.length,
        result.files,
        result.failed[0].key,
        result.failed[0].message,
      ),
      show,
    )
    .then((pick) => (pick === show ? feature.log.channel.show() : undefined));
}

/** `bucketIntegrity.importInventory`: on a bucket or folder in the tree, or from the palette. */
export async function importInventory(feature: VerifyFeature, arg?: unknown): Promise<ImportResult | undefined> {
  const target = await verifyTargetOf(feature, arg, vscode.l10n.t('Import CRC Inventory'), false);
  const store = await feature.services.storeFor(target.profile);
  return importFor(feature, target, store);
}
