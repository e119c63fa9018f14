import * as vscode from 'vscode';
// First: the message catalogue speaks the display language before any other module runs.
import './ui/l10n';
import { createApi, type BucketIntegrityApi } from './ui/api';
import { registerAppend } from './ui/append/register';
import { registerBuckets } from './ui/buckets/register';
import { registerCompare } from './ui/compare/register';
import { registerCompute } from './ui/compute/register';
import { registerCopy } from './ui/copy/register';
import { registerDecorations } from './ui/decorations/register';
import { registerDocuments } from './ui/documents/register';
import { registerMappings } from './ui/mappings/register';
import { registerRestore } from './ui/restore/register';
import { registerProfiles } from './ui/profiles/register';
import { registerShowLog } from './ui/commands';
import { Services } from './ui/services';
import { registerResults } from './ui/results/register';
import { registerTransfer } from './ui/transfer/register';
import { registerVerify } from './ui/verify/register';
import { registerAudit } from './ui/audit/register';

let services: Services | undefined;

/**
 * Entry point. Activation only wires feature folders together; each `register*` adds its commands,
 * views and disposables to `context.subscriptions`. Heavy modules (SDKs, the engine) load on first use.
 * Returns the extension's API (`BucketIntegrityApi` in src/ui/api.ts) as its `exports`.
 */
export async function activate(context: vscode.ExtensionContext): Promise<BucketIntegrityApi> {
  const started = performance.now();
  services = new Services(context);
  context.subscriptions.push(services);
  registerShowLog(context, services.log);

  registerProfiles(context, services);
  registerMappings(context, services);
  registerCompute(context, services);
  registerTransfer(context, services);
  registerAppend(context, services);
  const copy = registerCopy(context, services);
  const buckets = registerBuckets(context, services, { dragAndDropController: copy.dragAndDrop });
  registerCompare(context, services, buckets);
  registerRestore(context, services, buckets);
  registerVerify(context, services, buckets);
  registerAudit(context, services, buckets);
  registerDocuments(context, services);
  const decorations = registerDecorations(context, services);
  const results = registerResults(context, services);

  services.logger('extension').info(`Activated in ${(performance.now() - started).toFixed(1)} ms.`);
  return createApi(decorations, buckets, results);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (workers are terminated there).
  services = undefined;
}
