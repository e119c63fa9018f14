import * as vscode from 'vscode';
import { remoteTargetOf } from '../../shared/commandArgs';
import { localUriForRemote, mappingRootFor } from '../../shared/mappingSettings';
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
      const mapped = localUriForRemote(target);
      if (mapped) {
        localPath = mapped.uri.fsPath;
        localLabel = mapped.relativePath || '.';
      }
    }
    if (!localPath) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: !target.isPrefix,
        canSelectFolders: target.isPrefix,
        canSelectMany: false,
        openLabel: vscode.l10n.t('Compare'),
        title: target.isPrefix
          ? vscode.l10n.t('No mapping covers {0}/{1}: pick the local folder to compare with', target.bucket, target.key)
          : vscode.l10n.t('No mapping covers {0}/{1}: pick the local file to compare with', target.bucket, target.key),
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
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Pick an object, folder or bucket in the Buckets view to compare it with local files.'),
    );
    return undefined;
  }
  return runCompareJobs(feature, jobs, { title: vscode.l10n.t('Compare with Local') });
}
