import * as vscode from 'vscode';
import { remoteTargetOf } from '../../shared/commandArgs';
import type { BucketsFeature } from '../bucketsFeature';

/**
 * `bucketIntegrity.copyUrl` ("Copy URL"): the object's address to the clipboard, unsigned (it opens only
 * for a public-read object; "Copy Presigned URL…" gives one that opens for anyone holding it). Returns it.
 */
export async function copyUrl(feature: BucketsFeature, arg?: unknown): Promise<string | undefined> {
  const target = remoteTargetOf(arg ?? feature.view?.selection[0]);
  if (!target || target.isPrefix) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick an object in the Buckets view to copy its URL.'));
    return undefined;
  }
  const store = await feature.services.storeFor(target.profile);
  const url = store.objectUrl(target.bucket, target.key);
  await vscode.env.clipboard.writeText(url);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the URL of {0}', target.key), 3000);
  return url;
}
