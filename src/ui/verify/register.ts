import type * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import type { BucketsView } from '../shared/bucketsView';
import { ReportDocuments } from '../shared/reportDocuments';
import type { VerifyFeature } from './verifyFeature';
import type { CommandId } from '../commandIds';

/** The verify report documents' scheme (read-only, no "save changes?" on close). */
export const VERIFY_REPORT_SCHEME = 'bucket-integrity-verify';

/**
 * Bucket verification from the editor: Enable CRC Inventory…, Import CRC Inventory, Verify Bucket,
 * Verify Prefix and Export Verify Report. The CRC record they share opens on first use (never at
 * activation) and closes on deactivate.
 */
export function registerVerify(context: vscode.ExtensionContext, services: Services, buckets?: BucketsView): VerifyFeature {
  const log = services.logger('verify');
  const reports = new ReportDocuments(VERIFY_REPORT_SCHEME);
  context.subscriptions.push(reports);
  const feature: VerifyFeature = { services, log, reports, ...(buckets ? { buckets } : {}) };
  const command = (id: CommandId, run: (...args: unknown[]) => unknown): void => registerCommand(context, log, id, run);
  // The commands (and through them the record, the inventory parser and the engine) load on first use.
  const commands = (): typeof import('./commands') => require('./commands') as typeof import('./commands');
  command('bucketIntegrity.enableCrcInventory', (arg) => commands().enableInventory(feature, arg));
  command('bucketIntegrity.importInventory', (arg) => commands().importInventory(feature, arg));
  command('bucketIntegrity.verifyBucket', (arg) => commands().verifyPrefix(feature, arg, true));
  command('bucketIntegrity.verifyPrefix', (arg) => commands().verifyPrefix(feature, arg, false));
  command('bucketIntegrity.exportVerifyReport', (arg) => commands().exportReport(feature, arg));
  command('bucketIntegrity.verifyAllVersions', (arg) => commands().verifyVersions(feature, arg));
  // Re-run in the Results view, also of a run an earlier window stored: the same prefix from the start,
  // against the same folder or the record; or the same key's versions against the same local file.
  services.results.setRerunner('verify', (replay) => {
    const run = commands();
    return run.isVersionsRun(replay) ? run.rerunVersions(feature, replay) : run.verifyPrefix(feature, replay, false);
  });
  return feature;
}
