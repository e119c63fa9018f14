import type * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { BucketsView } from '../shared/bucketsView';
import type { Services } from '../services';
import { restoreObject } from './commands/restoreObject';

/** Restore… of archived objects; the object's node is read again once its restore is done. */
export function registerRestore(context: vscode.ExtensionContext, services: Services, buckets: BucketsView): void {
  const log = services.logger('restore');
  const restoreServices = { storeFor: (name: string) => services.storeFor(name), log };
  registerCommand(context, log, 'bucketIntegrity.restoreObject', (target, request) =>
    // Its restore state changed: the hover reads the object again.
    restoreObject(restoreServices, (place) => buckets.forgetFacts(place), target, request),
  );
}
