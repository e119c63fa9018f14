import * as vscode from 'vscode';
import { registerBuckets } from './ui/buckets/register';
import { registerCompare } from './ui/compare/register';
import { registerCompute } from './ui/compute/register';
import { registerDecorations } from './ui/decorations/register';
import { registerMappings } from './ui/mappings/register';
import { registerProfiles } from './ui/profiles/register';
import { Services } from './ui/services';
import { registerTransfer } from './ui/transfer/register';

let services: Services | undefined;

/**
 * Entry point. Activation only wires feature folders together; each `register*` adds its commands,
 * views and disposables to `context.subscriptions`. Heavy modules (SDKs, the engine) load on first use.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = performance.now();
  services = new Services(context);
  context.subscriptions.push(services);

  registerProfiles(context, services);
  registerMappings(context, services);
  registerCompute(context, services);
  registerTransfer(context, services);
  const buckets = registerBuckets(context, services);
  registerCompare(context, services, buckets);
  registerDecorations(context, services);

  services.logger('extension').info(`Activated in ${(performance.now() - started).toFixed(1)} ms.`);
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions (workers are terminated there).
  await services?.saveCrcCache();
  services = undefined;
}
