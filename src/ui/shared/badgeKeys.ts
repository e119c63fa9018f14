import * as vscode from 'vscode';
import { remotePathOf, REMOTE_SCHEME } from './remoteUri';

/**
 * Keys of the badge store. A remote place is keyed by its tree item's `resourceUri` without the trailing
 * '/' (objects, folders, buckets and profiles share one form, so `deleteUnder` works on any of them); a
 * local file or folder by its `file:` URI.
 */
export function remoteBadgeKey(profile: string, bucket?: string, key?: string): string {
  return vscode.Uri.from({ scheme: REMOTE_SCHEME, path: remotePathOf({ profile, bucket, key }) }).toString();
}

export function localBadgeKey(path: string): string {
  return vscode.Uri.file(path).toString();
}
