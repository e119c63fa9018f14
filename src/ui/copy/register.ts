import type * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import { copyOrMove, type CopyArgs } from './commands/copyObject';
import type { CopyFeature } from './context';
import { BucketsDragAndDrop } from './dragAndDrop';

/**
 * Verified server-side **Copy To…** and **Move or Rename…** on objects of the Buckets view, and the
 * view's drag and drop (handed to the view when it is created).
 */
export function registerCopy(context: vscode.ExtensionContext, services: Services): CopyFeature & { dragAndDrop: BucketsDragAndDrop<unknown> } {
  const feature: CopyFeature = { services, log: services.logger('copy') };
  const command = (id: string, run: (...args: unknown[]) => unknown): void => registerCommand(context, feature.log, id, run);
  command('bucketIntegrity.copyObject', (node, args) => copyOrMove(feature, false, node, args as CopyArgs | undefined));
  command('bucketIntegrity.moveObject', (node, args) => copyOrMove(feature, true, node, args as CopyArgs | undefined));
  return { ...feature, dragAndDrop: new BucketsDragAndDrop<unknown>() };
}
