import * as vscode from 'vscode';
import { CancelledError } from '../../util/errors';
import { remoteTargetOf } from '../shared/commandArgs';
import type { VerifyFeature } from './verifyCommand';

/** The inventory id Bucket Integrity configures and looks for. */
export const CRC_INVENTORY_ID = 'bucket-integrity-crc';

async function ask(title: string, prompt: string): Promise<string> {
  const value = await vscode.window.showInputBox({ title, prompt, ignoreFocusOut: true });
  if (!value) throw new CancelledError();
  return value;
}

/**
 * `bucketIntegrity.enableCrcInventory` on a bucket: a daily inventory with Crc64 whose reports go to a
 * destination bucket the user picks (OSS also needs the RAM role that writes them). On COS the first
 * report is requested at once. Argument form: `{ profile, bucket, destinationBucket, roleName?, accountId? }`.
 */
export async function enableInventory(feature: VerifyFeature, arg: unknown): Promise<{ destinationBucket: string; prefix: string } | undefined> {
  const target = remoteTargetOf(arg ?? feature.buckets?.selection());
  if (!target) {
    void vscode.window.showInformationMessage('Run Enable CRC Inventory… on a bucket in the Buckets view.');
    return undefined;
  }
  const given = (typeof arg === 'object' && arg !== null ? arg : {}) as { destinationBucket?: string; roleName?: string; accountId?: string };
  const store = await feature.services.storeFor(target.profile);
  let destinationBucket = given.destinationBucket;
  if (!destinationBucket) {
    const names = (await store.listBuckets()).map((b) => b.name);
    const picked = await vscode.window.showQuickPick(
      names.map((name) => ({ label: name, description: name === target.bucket ? 'the bucket itself' : undefined })),
      { title: `Enable CRC Inventory on ${target.bucket}`, placeHolder: 'Which bucket receives the inventory reports? (same region)' },
    );
    if (!picked) return undefined;
    destinationBucket = picked.label;
  }
  const oss = store.provider === 'oss';
  const roleName = given.roleName ?? (oss ? await ask('RAM role', 'The RAM role OSS takes on to write the reports (e.g. AliyunOSSRole)') : undefined);
  const accountId = given.accountId ?? (oss ? await ask('Account id', 'The Alibaba Cloud account id that owns the role') : undefined);
  const { enableCrcInventory } = await import('../../inventory');
  const { location, reportRequested } = await enableCrcInventory(store, target.bucket, {
    id: CRC_INVENTORY_ID,
    destinationBucket,
    ...(roleName ? { roleName } : {}),
    ...(accountId ? { accountId } : {}),
  });
  feature.log.info(`CRC inventory "${CRC_INVENTORY_ID}" enabled on ${target.bucket}, reports to ${destinationBucket}/${location.destinationPrefix}`);
  void vscode.window.showInformationMessage(
    `CRC inventory enabled on ${target.bucket}: daily reports in ${destinationBucket}/${location.destinationPrefix}. ` +
      (reportRequested ? 'The first report has been requested; Verify Bucket uses it once it is there.' : 'Verify Bucket uses the first report once the service has written it (within a day).'),
  );
  return { destinationBucket, prefix: location.destinationPrefix };
}
