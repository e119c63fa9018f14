import * as vscode from 'vscode';
import { remoteTargetOf } from '../../shared/commandArgs';
import { documentUri, type DocumentsFeature } from '../context';
import { parseDocumentUri, profileForAuthority } from '../documentUri';

/**
 * `bucketIntegrity.openObject` ("Open"): an object of the Buckets view (or `{ profile, bucket, key }`, or
 * a `cos://` / `oss://` URI) in an editor, read-only, its bytes checked against the stored CRC-64.
 * Resolves to the document URI opened.
 */
export async function openObject(feature: DocumentsFeature, arg?: unknown): Promise<string | undefined> {
  const uri = objectDocumentUri(feature, arg);
  if (!uri) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick an object in the Buckets view to open it.'));
    return undefined;
  }
  await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  return uri.toString();
}

/** The document URI of an object argument; undefined for folders, buckets or unknown profiles. */
export function objectDocumentUri(feature: DocumentsFeature, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) {
    const location = parseDocumentUri(arg);
    const profile = location && profileForAuthority(feature.services.profiles.all(), location.profile);
    // Named with the profile's own spelling, so mappings (which are case-sensitive) find it.
    return location?.bucket && profile ? documentUri(location.provider, profile.name, location.bucket, location.key) : undefined;
  }
  const target = remoteTargetOf(arg);
  if (!target || target.isPrefix || target.key === '') return undefined;
  const profile = profileForAuthority(feature.services.profiles.all(), target.profile);
  if (!profile) return undefined;
  return documentUri(profile.provider, profile.name, target.bucket, target.key);
}
