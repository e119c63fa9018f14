import { basename } from 'node:path';
import * as vscode from 'vscode';
import { atVersion } from '../../../storage/versions';
import { downloadObject } from '../../../transfer/downloader';
import type { ObjectVersion } from '../../../storage/versions';
import { versionQuery } from '../../shared/versionUri';
import { documentUri, type DocumentsFeature } from '../context';

/**
 * The commands of a version node in the Buckets tree (versioned buckets): **Open Version** (read-only,
 * checked by that version's CRC-64) and **Download Version…** (a verified download to a file the user
 * picks). A version is never recorded as the key's content: the CRC record holds what a key is now.
 */

/** A version node of the Buckets tree, as far as these commands read it. */
interface VersionArg {
  kind: 'version';
  location: { profile: string; bucket: string; key: string };
  version: ObjectVersion;
}

function versionNodeOf(arg: unknown): VersionArg | undefined {
  const node = arg as Partial<VersionArg> | undefined;
  return node?.kind === 'version' && node.version && !node.version.deleteMarker ? (node as VersionArg) : undefined;
}

/** Opens the version read-only; resolves to the document URI opened. */
export async function openVersion(feature: DocumentsFeature, arg: unknown): Promise<string | undefined> {
  const node = versionNodeOf(arg);
  if (!node) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick a version (not a delete marker) in the Buckets view to open it.'));
    return undefined;
  }
  const profile = feature.services.profiles.get(node.location.profile);
  if (!profile) return undefined;
  const uri = documentUri(profile.provider, profile.name, node.location.bucket, node.location.key).with({
    query: versionQuery(node.version.versionId),
  });
  await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  return uri.toString();
}

/** Downloads the version to `targetPath` (or where the user picks), verified by its CRC-64. */
export async function downloadVersion(feature: DocumentsFeature, arg: unknown, targetPath?: string): Promise<string | undefined> {
  const node = versionNodeOf(arg);
  if (!node) return undefined;
  const { bucket, key } = node.location;
  const { versionId } = node.version;
  let path = targetPath;
  if (!path) {
    const picked = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Download version {0} of {1}', versionId, key),
      saveLabel: vscode.l10n.t('Download'),
      defaultUri: vscode.Uri.file(basename(key)),
    });
    path = picked?.fsPath;
  }
  if (!path) return undefined;
  try {
    const store = atVersion(await feature.services.storeFor(node.location.profile), bucket, key, versionId);
    const r = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Downloading version {0} of {1}', versionId, key),
        cancellable: true,
      },
      (_p, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return downloadObject(store, { bucket, key, targetPath: path, signal: controller.signal });
      },
    );
    const how = r.verified
      ? vscode.l10n.t('CRC-64 {0} verified', r.crc64 ?? '')
      : vscode.l10n.t('NOT verified: {0}', r.reason ?? vscode.l10n.t('no CRC-64'));
    feature.log.info(`Downloaded version ${versionId} of ${key} to ${path} (${how}).`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Downloaded version {0} of {1} ({2}).', versionId, key, how));
    return r.path;
  } catch (err) {
    void vscode.window.showErrorMessage((err as Error).message);
    return undefined;
  }
}
