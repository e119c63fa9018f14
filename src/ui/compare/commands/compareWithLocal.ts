import { join } from 'node:path';
import * as vscode from 'vscode';
import { remoteTargetOf } from '../../shared/commandArgs';
import { remoteToLocal } from '../../shared/mappingModel';
import { mappingRootFor, mappingsFromSettings } from '../../shared/mappingSettings';
import type { CompareFeature } from '../compareFeature';
import { runCompareJobs, type CompareJob, type CompareOutcome } from '../run';

/**
 * `bucketIntegrity.compareWithLocal`: an object, folder or bucket in the tree against the local file or
 * folder its mapping points to; without a mapping the user picks the local side. `{ localPath }` in the
 * argument skips both (other commands, tests).
 */
export async function compareWithLocal(feature: CompareFeature, arg?: unknown, selected?: unknown): Promise<CompareOutcome | undefined> {
  const args = Array.isArray(selected) && selected.length > 1 ? selected : [arg ?? feature.buckets?.selection()];
  const jobs: CompareJob[] = [];
  for (const a of args) {
    const target = remoteTargetOf(a);
    if (!target) continue;
    const explicit = typeof a === 'object' && a !== null ? (a as { localPath?: unknown }).localPath : undefined;
    let localPath = typeof explicit === 'string' ? explicit : undefined;
    let localLabel = localPath ?? '';
    if (!localPath) {
      const root = mappingRootFor();
      const mapped = root ? remoteToLocal(mappingsFromSettings(), target.profile, target.bucket, target.key) : undefined;
      if (root && mapped) {
        localPath = join(root.fsPath, ...mapped.relativePath.split('/').filter(Boolean));
        localLabel = mapped.relativePath || '.';
      }
    }
    if (!localPath) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: !target.isPrefix,
        canSelectFolders: target.isPrefix,
        canSelectMany: false,
        openLabel: 'Compare',
        title: `No mapping covers ${target.bucket}/${target.key}: pick the local ${target.isPrefix ? 'folder' : 'file'} to compare with`,
        defaultUri: mappingRootFor(),
      });
      if (!picked?.[0]) return undefined;
      localPath = picked[0].fsPath;
      localLabel = vscode.workspace.asRelativePath(picked[0]);
    }
    const profile = feature.services.profiles.get(target.profile);
    jobs.push({
      profile: target.profile,
      bucket: target.bucket,
      kind: target.isPrefix ? 'folder' : 'file',
      localPath,
      key: target.key,
      localLabel,
      ...(profile ? { provider: profile.provider } : {}),
    });
  }
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage('Pick an object, folder or bucket in the Buckets view to compare it with local files.');
    return undefined;
  }
  return runCompareJobs(feature, jobs, { title: 'Compare with Local' });
}
