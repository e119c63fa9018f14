import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import { remoteBadgeKey } from '../shared/badgeKeys';
import type { BucketsView } from '../shared/bucketsView';
import { compareWithLocal } from './commands/compareWithLocal';
import { compareWithRemote } from './commands/compareWithRemote';
import { computeRemoteCrc } from './commands/computeRemoteCrc';
import type { CompareFeature } from './compareFeature';
import { BadgeRechecker } from './recheck';
import { runCompareJobs, type CompareJob, type CompareOptions } from './run';
import { ReportDocuments } from '../shared/reportDocuments';
import type { CommandId } from '../commandIds';

/**
 * `Compare with Remote` (Explorer, editor), `Compare with Local` (tree), `Compute Remote CRC-64
 * (download)`, and the background re-checks that keep badges current after a save or a refresh.
 */
export function registerCompare(context: vscode.ExtensionContext, services: Services, buckets?: BucketsView): CompareFeature {
  const log = services.logger('compare');
  const reports = new ReportDocuments();
  context.subscriptions.push(reports);
  const feature: CompareFeature = { services, buckets, log, reports, downloaded: new Map(), pairs: new Map() };
  const command = (id: CommandId, run: (...args: unknown[]) => unknown): void => registerCommand(context, log, id, run);
  command('bucketIntegrity.compareWithRemote', (clicked, selected) => compareWithRemote(feature, clicked, selected));
  command('bucketIntegrity.compareWithLocal', (node, selected) => compareWithLocal(feature, node, selected));
  command('bucketIntegrity.computeRemoteCrc', (node) => computeRemoteCrc(feature, node));
  // Re-run in the Results view, also of a run an earlier window stored: the same jobs again.
  services.results.setRerunner('compare', (replay) => {
    const { jobs, options } = replay as { jobs: CompareJob[]; options?: CompareOptions };
    return runCompareJobs(feature, jobs, options);
  });

  const rechecker = new BadgeRechecker(feature);
  context.subscriptions.push(
    rechecker,
    vscode.workspace.onDidSaveTextDocument((doc) => rechecker.fileSaved(doc.uri)),
  );
  if (buckets) {
    context.subscriptions.push(
      buckets.onDidRefresh((place) => rechecker.refreshed(place ? remoteBadgeKey(place.profile, place.bucket, place.key) : undefined)),
    );
  }
  return feature;
}
