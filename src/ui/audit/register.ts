import type * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { CommandId } from '../commandIds';
import type { Services } from '../services';
import type { BucketsView } from '../shared/bucketsView';
import { ReportDocuments } from '../shared/reportDocuments';
import type { AuditFeature } from './auditFeature';

/** The audit report documents' scheme (read-only). */
export const AUDIT_REPORT_SCHEME = 'bucket-integrity-audit';

/** Compare with Bucket… (a bucket or folder of the tree against another bucket or prefix) and its Export. */
export function registerAudit(context: vscode.ExtensionContext, services: Services, buckets?: BucketsView): AuditFeature {
  const log = services.logger('audit');
  const reports = new ReportDocuments(AUDIT_REPORT_SCHEME);
  context.subscriptions.push(reports);
  const feature: AuditFeature = { services, log, reports, ...(buckets ? { buckets } : {}) };
  const command = (id: CommandId, run: (...args: unknown[]) => unknown): void => registerCommand(context, log, id, run);
  // The engine and the record load on first use.
  const commands = (): typeof import('./commands') => require('./commands') as typeof import('./commands');
  command('bucketIntegrity.compareWithBucket', (arg) => commands().compareWithBucket(feature, arg));
  command('bucketIntegrity.exportAuditReport', (arg) => commands().exportAuditReport(feature, arg));
  // Re-run in the Results view, also of a run an earlier window stored: the same two places again.
  services.results.setRerunner('audit', async (replay) => commands().rerunAudit(feature, replay));
  return feature;
}
