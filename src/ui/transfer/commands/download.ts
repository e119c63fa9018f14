import * as vscode from 'vscode';
import { targetForObjectInFolder } from '../../../transfer/downloader';
import { firstWorkspaceFolder, localUriForRemote } from '../../shared/mappingSettings';
import type { TransferServices } from '../transferServices';
import { pickRemoteObject } from '../pickers';
import { runDownloads, type TransferReport } from '../run';
import { remoteTargetOf, type RemoteTarget } from '../targets';

/**
 * `bucketIntegrity.download` (an object) and `bucketIntegrity.downloadFolder` (a prefix or bucket): to the
 * mapped place in the workspace when a mapping covers it, otherwise to a place the user picks.
 */
export async function download(services: TransferServices, node?: unknown): Promise<TransferReport | undefined> {
  const target = remoteTargetOf(node) ?? (await pickRemoteObject(services));
  if (!target) return undefined;
  if (target.isPrefix) return downloadFolderTo(services, target);
  const local = mappedPath(target);
  let path: string | undefined = local;
  if (!path) {
    const base = firstWorkspaceFolder();
    let suggested: string | undefined;
    try {
      suggested = base ? targetForObjectInFolder(base.fsPath, target.key) : undefined;
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message);
      return undefined;
    }
    const picked = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Download {0}', target.key),
      saveLabel: vscode.l10n.t('Download'),
      defaultUri: suggested ? vscode.Uri.file(suggested) : undefined,
    });
    path = picked?.fsPath;
  }
  if (!path) return undefined;
  return runDownloads(services, [{ ...target, isPrefix: false, localPath: path }]);
}

export async function downloadFolder(services: TransferServices, node?: unknown): Promise<TransferReport | undefined> {
  const target = remoteTargetOf(node) ?? (await pickRemoteObject(services));
  if (!target) return undefined;
  if (!target.isPrefix) return download(services, target);
  return downloadFolderTo(services, target);
}

async function downloadFolderTo(services: TransferServices, target: RemoteTarget): Promise<TransferReport | undefined> {
  let folder = mappedPath(target);
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Download Here'),
      title: vscode.l10n.t('Download {0}/{1} into…', target.bucket, target.key),
      defaultUri: firstWorkspaceFolder(),
    });
    folder = picked?.[0]?.fsPath;
  }
  if (!folder) return undefined;
  return runDownloads(services, [{ ...target, localPath: folder }]);
}

/** Where a mapping puts this object or prefix in the workspace, if one covers it. */
function mappedPath(target: RemoteTarget): string | undefined {
  return localUriForRemote(target)?.uri.fsPath;
}
