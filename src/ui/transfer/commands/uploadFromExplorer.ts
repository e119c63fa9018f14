import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { mappedLocalFor } from '../../shared/mappingSettings';
import type { TransferServices } from '../transferServices';
import { pickRemoteFolder } from '../pickers';
import { type TransferReport, runUploads, type UploadItem } from '../run';
import { localUrisOf } from '../targets';

/**
 * `bucketIntegrity.upload`: files and folders selected in the Explorer (or chosen in a dialog from the
 * palette) go to their mapped location; anything unmapped goes to a destination the user picks.
 */
export async function uploadFromExplorer(
  services: TransferServices,
  clicked?: unknown,
  selected?: unknown,
): Promise<TransferReport | undefined> {
  let uris = localUrisOf(clicked, selected);
  if (uris.length === 0) {
    uris =
      (await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        openLabel: vscode.l10n.t('Upload'),
        title: vscode.l10n.t('Upload to a bucket (verified)'),
      })) ?? [];
  }
  if (uris.length === 0) return undefined;
  const items: UploadItem[] = [];
  const unmapped: Array<{ path: string; isFolder: boolean }> = [];
  for (const uri of uris) {
    const isFolder = (await fs.stat(uri.fsPath)).isDirectory();
    // Mappings are relative to the workspace folder that contains the item.
    const mapped = mappedLocalFor(uri, isFolder);
    if (mapped)
      items.push({ localPath: uri.fsPath, isFolder, profile: mapped.mapping.profile, bucket: mapped.mapping.bucket, key: mapped.key });
    else unmapped.push({ path: uri.fsPath, isFolder });
  }
  if (unmapped.length > 0) {
    const dest = await pickRemoteFolder(
      services,
      unmapped.length === 1 ? vscode.l10n.t('Upload {0}', basename(unmapped[0].path)) : vscode.l10n.t('Upload {0} items', unmapped.length),
    );
    if (!dest) return undefined;
    for (const u of unmapped) {
      const name = basename(u.path);
      items.push({
        localPath: u.path,
        isFolder: u.isFolder,
        profile: dest.profile,
        bucket: dest.bucket,
        key: dest.key + name + (u.isFolder ? '/' : ''),
      });
    }
  }
  return runUploads(services, items);
}
