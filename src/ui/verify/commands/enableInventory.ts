import * as vscode from 'vscode';
import { CRC_INVENTORY_FIELDS, DEFAULT_OSS_ROLE, enableCrcInventory } from '../../../inventory/configure';
import type { InventoryLocation } from '../../../inventory/layout';
import { isInventoryRunner } from '../../../storage/capabilities';
import { providerTraits } from '../../../storage/traits';
import type { ObjectStore, ProviderKind } from '../../../storage/types';
import { CancelledError } from '../../../util/errors';
import { withCancellableProgress } from '../../shared/progress';
import { CRC_INVENTORY_ID } from '../../../inventory/choice';
import { pickBucket, verifyTargetOf } from '../targets';
import type { VerifyFeature } from '../verifyFeature';
import { runCommand } from '../../commands';

/** What "Enable CRC Inventory…" did; `ranOnce` when COS's one-time inventory was run too. */
export interface EnableOutcome {
  bucket: string;
  /** Where the reports will be. */
  location: InventoryLocation;
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

interface Destination {
  destinationBucket: string;
  /** Report prefix in the destination bucket ('' for none). */
  prefix: string;
  accountId?: string;
  roleName?: string;
}

/** Destination bucket, report prefix and (OSS) the RAM role the service writes with. */
async function askDestination(store: ObjectStore, provider: ProviderKind, bucket: string, given: EnableArgs): Promise<Destination> {
  const title = vscode.l10n.t('Enable CRC Inventory on {0}', bucket);
  const destinationBucket =
    given.destinationBucket ??
    (await pickBucket(store, vscode.l10n.t('{0}: bucket the daily reports are written to (same region)', title), bucket));
  const prefix =
    given.reportPrefix ??
    (await ask({
      title,
      prompt: vscode.l10n.t('Prefix of the reports in {0} (empty for none)', destinationBucket),
      value: 'bucket-integrity-inventory',
    }));
  if (!providerTraits(provider).inventory.writesWithRole || given.destinationBucket !== undefined) return { destinationBucket, prefix };
  const accountId = await ask({
    title,
    prompt: vscode.l10n.t("OSS: the account id that grants OSS the role (empty: the bucket owner's id, read from the bucket)"),
    validateInput: (v) =>
      v.trim() === '' || /^\d{1,32}$/.test(v.trim())
        ? undefined
        : vscode.l10n.t('An OSS account id is digits only, as the console shows it.'),
  });
  const roleName = await ask({
    title,
    prompt: vscode.l10n.t('OSS: the RAM role OSS writes the reports with'),
    value: DEFAULT_OSS_ROLE,
    validateInput: (v) =>
      /^[A-Za-z0-9.-]{1,64}$/.test(v.trim()) ? undefined : vscode.l10n.t('A RAM role name has 1-64 letters, digits, "." and "-".'),
  });
  return { destinationBucket, prefix, ...(accountId ? { accountId } : {}), ...(roleName ? { roleName } : {}) };
}

/** Whether an existing configuration of the same id may be replaced. */
async function mayReplace(store: ObjectStore, bucket: string): Promise<boolean> {
  const existing = (await store.listInventories(bucket)).find((c) => c.id === CRC_INVENTORY_ID);
  if (!existing) return true;
  const replace = 'Replace';
  const pick = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      '{0} already has the inventory "{1}" (reports into {2}/{3}). Replace its configuration?',
      bucket,
      CRC_INVENTORY_ID,
      existing.destination.bucket,
      existing.destination.prefix ?? '',
    ),
    { modal: true },
    replace,
  );
  return pick === replace;
}

/** COS: whether to request a report now as well (it costs one inventory run). */
async function askRunNow(store: ObjectStore, bucket: string, given: EnableArgs): Promise<boolean> {
  if (!isInventoryRunner(store)) return false;
  if (given.runNow !== undefined) return given.runNow;
  const now = vscode.l10n.t('Enable and Run Now');
  const later = 'Enable';
  const pick = await vscode.window.showInformationMessage(
    vscode.l10n.t('Run a one-time inventory of {0} now as well, so the first report does not wait a day?', bucket),
    { modal: true },
    now,
    later,
  );
  if (!pick) throw new CancelledError();
  return pick === now;
}

/**
 * `bucketIntegrity.enableCrcInventory` on a bucket: a daily CSV inventory with Crc64, Size, ETag,
 * LastModified and StorageClass, into a bucket the user picks; for COS it also offers the one-time
 * inventory (POST Bucket inventory) so a first report exists now, not tomorrow.
 */
export async function enableInventory(feature: VerifyFeature, arg?: unknown): Promise<EnableOutcome | undefined> {
  const target = await verifyTargetOf(feature, arg, vscode.l10n.t('Enable CRC Inventory'), false);
  const given = (typeof arg === 'object' && arg !== null ? arg : {}) as EnableArgs;
  const store = await feature.services.storeFor(target.profile);
  const { bucket } = target;
  const destination = await askDestination(store, store.provider, bucket, given);
  if (given.destinationBucket === undefined && !(await mayReplace(store, bucket))) return undefined;
  const requestReport = await askRunNow(store, bucket, given);
  const enabled = await withCancellableProgress(vscode.l10n.t('Enabling the CRC inventory of {0}', bucket), (signal) =>
    enableCrcInventory(store, bucket, { id: CRC_INVENTORY_ID, ...destination, requestReport, signal }),
  );
  if (!enabled) return undefined;
  const { location, reportRequested } = enabled;
  const where = `${location.destinationBucket}/${location.destinationPrefix}`;
  feature.log.info(
    `Inventory "${CRC_INVENTORY_ID}" of ${bucket} set: daily, ${CRC_INVENTORY_FIELDS.join(', ')}, into ${where}${reportRequested ? '; one report requested now' : ''}.`,
  );
  const importNow = vscode.l10n.t('Import CRC Inventory');
  const text = reportRequested
    ? vscode.l10n.t(
        'CRC inventory enabled on {0}, and a one-time report requested. Import it once COS has written it into {1}.',
        bucket,
        where,
      )
    : vscode.l10n.t(
        'CRC inventory enabled on {0}: {1} writes a daily report into {2} (the first within a day). Then run "Import CRC Inventory".',
        bucket,
        store.provider.toUpperCase(),
        where,
      );
  void vscode.window
    .showInformationMessage(text, importNow)
    .then((pick) => (pick === importNow ? runCommand('bucketIntegrity.importInventory', { profile: target.profile, bucket }) : undefined));
  return { bucket, location, ranOnce: reportRequested };
}
