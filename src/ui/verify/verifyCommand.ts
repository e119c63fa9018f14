import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatCount, formatDuration } from '../../util/format';
import type { VerifySummary } from '../../integrity/verify';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { BucketsView } from '../shared/bucketsView';
import { remoteArgOf, remoteTargetOf } from '../shared/commandArgs';
import { remoteToLocal } from '../shared/mappingModel';
import { mappingRootFor, mappingsFromSettings } from '../shared/mappingSettings';
import { pickProfile } from '../shared/pickProfile';
import { withCancellableProgress } from '../shared/progress';
import { importCrcInventory } from './inventoryStep';

export interface VerifyFeature {
  services: Services;
  log: Logger;
  /** The record file in the extension's global storage. */
  recordFile: string;
  buckets?: BucketsView;
}

export interface VerifyOutcome {
  summary: VerifySummary;
  report: string;
}

interface Target {
  profile: string;
  bucket: string;
  prefix: string;
  localDir?: string;
}

/** The bucket and prefix: from the tree node or argument, else picked (profile, bucket, then a prefix). */
async function targetOf(feature: VerifyFeature, arg: unknown, askPrefix: boolean): Promise<Target | undefined> {
  const place = remoteTargetOf(arg ?? feature.buckets?.selection());
  const explicit = typeof arg === 'object' && arg !== null ? (arg as { localPath?: unknown; prefix?: unknown }) : {};
  let target: Target | undefined;
  if (place) {
    const key = typeof explicit.prefix === 'string' ? explicit.prefix : place.isPrefix ? place.key : place.key.slice(0, place.key.lastIndexOf('/') + 1);
    target = { profile: place.profile, bucket: place.bucket, prefix: key };
  } else {
    const profile = await pickProfile(feature.services.profiles, 'Verify: which profile?', remoteArgOf(arg)?.profile);
    const store = await feature.services.storeFor(profile.name);
    const buckets = await store.listBuckets();
    const bucket = await vscode.window.showQuickPick(buckets.map((b) => b.name), { title: 'Verify: which bucket?' });
    if (!bucket) return undefined;
    let prefix = '';
    if (askPrefix) {
      const typed = await vscode.window.showInputBox({ title: `Verify a prefix of ${bucket}`, prompt: 'Prefix (a folder, e.g. photos/2024/); empty for the whole bucket' });
      if (typed === undefined) return undefined;
      prefix = typed;
    }
    target = { profile: profile.name, bucket, prefix };
  }
  if (typeof explicit.localPath === 'string') return { ...target, localDir: explicit.localPath };
  const root = mappingRootFor();
  const mapped = root ? remoteToLocal(mappingsFromSettings(), target.profile, target.bucket, target.prefix) : undefined;
  return root && mapped ? { ...target, localDir: join(root.fsPath, ...mapped.relativePath.split('/').filter(Boolean)) } : target;
}

/**
 * `bucketIntegrity.verifyBucket` / `verifyPrefix`: every object below a bucket or prefix against its mapped
 * local file, or, without a mapping, against the CRC record — from the tree, the palette or an argument
 * `{ profile, bucket, prefix?, localPath? }`. Cancellable; a cancelled run continues when run again.
 */
export async function verifyCommand(feature: VerifyFeature, arg: unknown, askPrefix: boolean): Promise<VerifyOutcome | undefined> {
  const target = await targetOf(feature, arg, askPrefix);
  if (!target) return undefined;
  const { CrcRecord } = await import('../../record');
  const verify = await import('../../integrity/verify');
  const store = await feature.services.storeFor(target.profile);
  const where = `${target.bucket}/${target.prefix}`;
  return withCancellableProgress(`Verifying ${where}`, async (signal, report) => {
    const record = await CrcRecord.open(feature.recordFile);
    try {
      const inventoryLine = await importCrcInventory(feature, store, record, target, signal, report);
      const summary = await verify.verifyPrefix({
        store,
        record,
        ...target,
        signal,
        ...(target.localDir ? { hashFiles: verify.poolHasher(feature.services.hashPool()) } : {}),
        onProgress: (p) => report(`${formatCount(p.done)}${p.total ? ` of ${formatCount(p.total)}` : ''} objects, ${formatCount(p.objectsPerSecond)}/s, ${formatDuration(p.etaSeconds)} left`),
      });
      const profile = feature.services.profiles.get(target.profile);
      const remote = `${profile?.provider ?? 'cos'}://${where}`;
      if (!inventoryLine && summary.requests.head > 1000) {
        void vscode.window.showInformationMessage(`${formatCount(summary.requests.head)} objects of ${target.bucket} needed a HEAD each. Enable CRC Inventory… on the bucket to get their CRC-64s in bulk.`);
      }
      const text = verify.reportText({ remote, profile: target.profile, checkedAt: new Date(), ...(target.localDir ? { localDir: target.localDir } : {}) }, summary, record.runIssues(summary.runId));
      feature.log.info(`verified ${remote}: ${verify.countsLine(summary)}`);
      const doc = await vscode.workspace.openTextDocument({ content: inventoryLine ? text.replace('\n\n', `\n${inventoryLine}\n\n`) : text, language: 'plaintext' });
      await vscode.window.showTextDocument(doc, { preview: false });
      return { summary, report: text };
    } finally {
      record.close();
    }
  });
}
