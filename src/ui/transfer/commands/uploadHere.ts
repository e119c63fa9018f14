import { promises as fs } from 'node:fs';
import type { MenuArg } from '../../commandArgs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { firstWorkspaceFolder } from '../../shared/mappingSettings';
import type { TransferServices } from '../transferServices';
import { pickRemoteFolder } from '../pickers';
import { type TransferReport, type UploadItem, runUploads } from '../run';
import { remoteTargetOf } from '../targets';

/**
 * `bucketIntegrity.uploadHere`: from a bucket or folder in the tree, pick local files/folders to upload
 * into it; `dropped` (files dropped on the node, with their keys) are uploaded as given instead of asking.
 */
export async function uploadHere(services: TransferServices, node?: unknown, dropped?: UploadItem[]): Promise<TransferReport | undefined> {
  if (dropped?.length) return runUploads(services, dropped, remoteTargetOf(node) ? (node as MenuArg) : undefined);
  const target = remoteTargetOf(node) ?? (await pickRemoteFolder(services, vscode.l10n.t('Upload here')));
  if (!target) return undefined;
  const prefix = target.isPrefix ? target.key : target.key.slice(0, target.key.lastIndexOf('/') + 1);
  const uris = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    openLabel: vscode.l10n.t('Upload'),
    title: vscode.l10n.t('Upload to {0}/{1}', target.bucket, prefix),
    defaultUri: firstWorkspaceFolder(),
  });
  if (!uris?.length) return undefined;
  const items = [];
  for (const uri of uris) {
    const isFolder = (await fs.stat(uri.fsPath)).isDirectory();
    items.push({
      localPath: uri.fsPath,
      isFolder,
      profile: target.profile,
      bucket: target.bucket,
      key: prefix + basename(uri.fsPath) + (isFolder ? '/' : ''),
    });
  }
  return runUploads(services, items, remoteTargetOf(node) ? (node as MenuArg) : undefined);
}
