import type * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import { mapFolder } from './commands/mapFolder';

/** `Map Folder to Bucket` from the Explorer, the Buckets view and the palette. */
export function registerMappings(context: vscode.ExtensionContext, services: Services): void {
  registerCommand(context, services.logger('mappings'), 'bucketIntegrity.mapFolder', (...args) => mapFolder(services, ...args));
}
