import * as vscode from 'vscode';
import type { InventoryConfig, ObjectStore, ProviderKind } from '../../../storage/types';
import { CancelledError } from '../../../util/errors';
import { withCancellableProgress } from '../../shared/progress';
import { CRC_INVENTORY_FIELDS, CRC_INVENTORY_ID, crcInventoryConfig, type CrcInventoryRequest } from '../inventoryPlan';
import { pickBucket, verifyTargetOf } from '../targets';
import type { VerifyFeature } from '../verifyFeature';

/** What "Enable CRC Inventory…" did; `ranOnce` when COS's one-time inventory was run too. */
export interface EnableOutcome {
  bucket: string;
  config: InventoryConfig;
  ranOnce: boolean;
}

/** Arguments that skip the questions (other commands, tests). */
interface EnableArgs {
  destinationBucket?: string;
  reportPrefix?: string;
  /** COS: run the one-time inventory without asking (true) or not at all (false). */
  runNow?: boolean;
}

async function ask(prompt: Omit<vscode.InputBoxOptions, 'ignoreFocusOut'>): Promise<string> {
  const value = await vscode.window.showInputBox({ ...prompt, ignoreFocusOut: true });
  if (value === undefined) throw new CancelledError();
  return value.trim();
}

/** Destination bucket, report prefix and (OSS) the RAM role the service writes with. */
async function askRequest(store: ObjectStore, provider: ProviderKind, bucket: string, given: EnableArgs): Promise<CrcInventoryRequest> {
  const title = `Enable CRC Inventory on ${bucket}`;
  const destinationBucket = given.destinationBucket ?? (await pickBucket(store, `${title}: bucket the daily reports are written to (same region)`, bucket));
  const reportPrefix =
    given.reportPrefix ??
    (await ask({ title, prompt: `Prefix of the reports in ${destinationBucket} (empty for none)`, value: 'bucket-integrity-inventory' }));
  if (provider !== 'oss' || given.destinationBucket !== undefined) return { destinationBucket, reportPrefix };
  const accountId = await ask({ title, prompt: 'OSS: the account id that owns the destination bucket (empty to leave it to OSS)' });
  const roleName = await ask({ title, prompt: 'OSS: the RAM role OSS writes the reports with', value: 'AliyunOSSRole' });
  return { destinationBucket, reportPrefix, ...(accountId ? { accountId } : {}), ...(roleName ? { roleName } : {}) };
}

/** Whether an existing configuration of the same id may be replaced. */
async function mayReplace(store: ObjectStore, bucket: string): Promise<boolean> {
  const existing = (await store.listInventories(bucket)).find((c) => c.id === CRC_INVENTORY_ID);
  if (!existing) return true;
  const replace = 'Replace';
  const pick = await vscode.window.showWarningMessage(
    `${bucket} already has the inventory "${CRC_INVENTORY_ID}" (reports into ${existing.destination.bucket}/${existing.destination.prefix ?? ''}). Replace its configuration?`,
    { modal: true },
    replace,
  );
  return pick === replace;
}

/**
 * `bucketIntegrity.enableInventory` on a bucket: a daily CSV inventory with Crc64, Size, ETag,
 * LastModified and StorageClass, into a bucket the user picks; for COS it also offers the one-time
 * inventory (POST Bucket inventory) so a first report exists now, not tomorrow.
 */
export async function enableInventory(feature: VerifyFeature, arg?: unknown): Promise<EnableOutcome | undefined> {
  const target = await verifyTargetOf(feature, arg, 'Enable CRC Inventory', false);
  const given = (typeof arg === 'object' && arg !== null ? arg : {}) as EnableArgs;
  const store = await feature.services.storeFor(target.profile);
  const { bucket } = target;
  const config = crcInventoryConfig(await askRequest(store, store.provider, bucket, given));
  if (given.destinationBucket === undefined && !(await mayReplace(store, bucket))) return undefined;
  await store.putInventory(bucket, config);
  const where = `${config.destination.bucket}/${config.destination.prefix ?? ''}`;
  feature.log.info(`Inventory "${config.id}" of ${bucket} set: daily, ${CRC_INVENTORY_FIELDS.join(', ')}, into ${where}.`);
  if (store.provider !== 'cos') {
    void vscode.window.showInformationMessage(
      `CRC inventory enabled on ${bucket}: OSS writes a daily report into ${where} (the first within a day). Then run "Import CRC Inventory".`,
    );
    return { bucket, config, ranOnce: false };
  }
  let runNow = given.runNow;
  if (runNow === undefined) {
    const now = 'Run Inventory Now';
    const pick = await vscode.window.showInformationMessage(
      `CRC inventory enabled on ${bucket}: a daily report into ${where}. Run a one-time inventory now, so the first report does not wait a day?`,
      now,
    );
    runNow = pick === now;
  }
  if (!runNow) return { bucket, config, ranOnce: false };
  const ran = await withCancellableProgress(`Requesting a one-time inventory of ${bucket}`, (signal) => store.runInventoryOnce(bucket, config, { signal }));
  if (!ran) return { bucket, config, ranOnce: false };
  feature.log.info(`One-time inventory of ${bucket} requested${ran.jobId ? ` (job ${ran.jobId})` : ''}.`);
  const importNow = 'Import CRC Inventory';
  void vscode.window
    .showInformationMessage(`One-time inventory of ${bucket} requested. Import its report once COS has written it into ${where}.`, importNow)
    .then((pick) => (pick === importNow ? vscode.commands.executeCommand('bucketIntegrity.importInventory', { profile: target.profile, bucket }) : undefined));
  return { bucket, config, ranOnce: true };
}
