import { join } from 'node:path';
import type * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import type { BucketsView } from '../shared/bucketsView';
import { enableInventory } from './enableInventory';
import { verifyCommand, type VerifyFeature } from './verifyCommand';

/** `Enable CRC Inventory…`, `Verify Bucket` and `Verify Prefix`: whole buckets against the CRC record (in global storage) or a mapped folder. */
export function registerVerify(context: vscode.ExtensionContext, services: Services, buckets?: BucketsView): void {
  const feature: VerifyFeature = { services, log: services.logger('verify'), recordFile: join(context.globalStorageUri.fsPath, 'record.sqlite'), buckets };
  registerCommand(context, feature.log, 'bucketIntegrity.verifyBucket', (node) => verifyCommand(feature, node, false));
  registerCommand(context, feature.log, 'bucketIntegrity.verifyPrefix', (node) => verifyCommand(feature, node, true));
  registerCommand(context, feature.log, 'bucketIntegrity.enableCrcInventory', (node) => enableInventory(feature, node));
}
