import { basename } from 'node:path';
import * as vscode from 'vscode';
import { atVersion } from '../../storage/versions';
import { downloadObject } from '../../transfer/downloader';
import { registerCommand } from '../commands';
import type { CommandId } from '../commandIds';
import type { Services } from '../services';
import { documentUri } from '../documents/context';
import type { VersionNode } from '../buckets/treeNodes';
import { versionQuery } from './versionUri';

/**
 * The commands of a version node in the Buckets tree (versioned buckets): **Open Version** (read-only,
 * checked by that version's CRC-64) and **Download Version…** (a verified download to a file the user
 * picks). A version is never recorded as the key's content: the CRC record holds what a key is now.
 */
export function registerVersions(context: vscode.ExtensionContext, services: Services): void {
  const log = services.logger('versions');
  const command = (id: CommandId, run: (...args: unknown[]) => unknown): void => registerCommand(context, log, id, run);
  command('bucketIntegrity.openVersion', (node) => openVersion(services, node));
  command('bucketIntegrity.downloadVersion', (node, target) => downloadVersion(services, node, typeof target === 'string' ? target : undefined));
}

function versionNodeOf(arg: unknown): VersionNode | undefined {
  const node = arg as Partial<VersionNode> | undefined;
  return node?.kind === 'version' && node.version && !node.version.deleteMarker ? (node as VersionNode) : undefined;
}

/** Opens the version read-only; resolves to the document URI opened. */
export async function openVersion(services: Services, arg: unknown): Promise<string | undefined> {
  const node = versionNodeOf(arg);
  if (!node) {
    void vscode.window.showInformationMessage('Pick a version (not a delete marker) in the Buckets view to open it.');
    return undefined;
  }
  const profile = services.profiles.get(node.location.profile);
  if (!profile) return undefined;
  const uri = documentUri(profile.provider, profile.name, node.location.bucket, node.location.key).with({ query: versionQuery(node.version.versionId) });
  await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  return uri.toString();
}

/** Downloads the version to `targetPath` (or where the user picks), verified by its CRC-64. */
export async function downloadVersion(services: Services, arg: unknown, targetPath?: string): Promise<string | undefined> {
  const node = versionNodeOf(arg);
  if (!node) return undefined;
  const { bucket, key } = node.location;
  const { versionId } = node.version;
  let path = targetPath;
  if (!path) {
    const picked = await vscode.window.showSaveDialog({ title: `Download version ${versionId} of ${key}`, saveLabel: 'Download', defaultUri: vscode.Uri.file(basename(key)) });
    path = picked?.fsPath;
  }
  if (!path) return undefined;
  try {
    const store = atVersion(await services.storeFor(node.location.profile), bucket, key, versionId);
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading version ${versionId} of ${key}`, cancellable: true }, (_p, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return downloadObject(store, { bucket, key, targetPath: path, signal: controller.signal });
    });
    const how = r.verified ? `CRC-64 ${r.crc64} verified` : `NOT verified: ${r.reason ?? 'no CRC-64'}`;
    log(services).info(`Downloaded version ${versionId} of ${key} to ${path} (${how}).`);
    void vscode.window.showInformationMessage(`Downloaded version ${versionId} of ${key} (${how}).`);
    return r.path;
  } catch (err) {
    void vscode.window.showErrorMessage((err as Error).message);
    return undefined;
  }
}

const log = (services: Services) => services.logger('versions');
