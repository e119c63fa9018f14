import type * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import { appendToObject } from './commands/appendToObject';

/** `Append to Object…` for OSS objects in the Buckets view (and the palette with an argument). */
export function registerAppend(context: vscode.ExtensionContext, services: Services): void {
  registerCommand(context, services.logger('append'), 'bucketIntegrity.appendToObject', (target, local) =>
    appendToObject(services, target, local),
  );
}
