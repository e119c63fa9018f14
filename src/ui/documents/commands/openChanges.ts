import * as vscode from 'vscode';
import { localUriForRemote, mappedLocalFor } from '../../shared/mappingSettings';
import { documentUri, type DocumentsFeature } from '../context';
import { parseDocumentUri } from '../documentUri';
import { objectDocumentUri } from './openObject';

export interface ChangesPair {
  /** The object's `cos://` / `oss://` URI: the diff's left side. */
  remote: string;
  /** The local file's URI: the diff's right side (editable). */
  local: string;
}

/**
 * `bucketIntegrity.openChanges` ("Open Changes"): VS Code's diff editor with the object on the left and
 * the local file on the right, paired through the folder mappings (or `localPath` given). Takes a local file (Explorer, editor,
 * the active editor by default) or an object (Buckets view node, `{ profile, bucket, key }`).
 */
export async function openChanges(feature: DocumentsFeature, arg?: unknown): Promise<ChangesPair | undefined> {
  const pair = pairOf(feature, arg ?? vscode.window.activeTextEditor?.document.uri);
  if (typeof pair === 'string') {
    void vscode.window.showInformationMessage(pair);
    return undefined;
  }
  const { remote, local } = pair;
  // A side that does not exist would open as an error pane: say which one is missing instead.
  const missing = !(await exists(remote))
    ? vscode.l10n.t('There is no object {0}', remote.toString(true))
    : !(await exists(local))
      ? vscode.l10n.t('There is no local file {0}', vscode.workspace.asRelativePath(local))
      : undefined;
  if (missing) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0}: nothing to compare.', missing));
    return undefined;
  }
  const location = parseDocumentUri(remote)!;
  const name = location.key.slice(location.key.lastIndexOf('/') + 1);
  const diff = () =>
    vscode.commands.executeCommand('vscode.diff', remote, local, `${name} (${location.bucket}) ↔ ${name} (local)`, { preview: true });
  diffsOpening.set(remote.toString(), { reopen: diff, at: Date.now() });
  await diff();
  feature.log.info(`Open Changes: ${remote.toString()} ↔ ${local.fsPath}`);
  return { remote: remote.toString(), local: local.toString() };
}

/**
 * Diffs just opened, by their object's URI: when the object turns out archived, Restore… then opens the
 * diff again rather than the object alone. Taken once; only while the diff is being opened.
 */
const diffsOpening = new Map<string, { reopen: () => Thenable<unknown>; at: number }>();
const DIFF_OPENING_MS = 30_000;

/** How to reopen the diff whose object `uri` could not be read (archived), if it was one being opened. */
export function takeDiffOpening(uri: vscode.Uri): (() => Thenable<unknown>) | undefined {
  const now = Date.now();
  for (const [k, v] of diffsOpening) if (now - v.at > DIFF_OPENING_MS) diffsOpening.delete(k);
  const found = diffsOpening.get(uri.toString());
  diffsOpening.delete(uri.toString());
  return found?.reopen;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Both sides for an argument, or the message explaining why there is no pair. */
function pairOf(feature: DocumentsFeature, arg: unknown): { remote: vscode.Uri; local: vscode.Uri } | string {
  if (arg instanceof vscode.Uri && arg.scheme === 'file') {
    const mapped = mappedLocalFor(arg, false);
    if (!mapped)
      return vscode.l10n.t('{0} is not in a folder mapped to a bucket ("Map Folder to Bucket…").', vscode.workspace.asRelativePath(arg));
    const profile = feature.services.profiles.get(mapped.mapping.profile);
    if (!profile)
      return vscode.l10n.t(
        'The mapping of {0} names a profile "{1}" that does not exist.',
        vscode.workspace.asRelativePath(arg),
        mapped.mapping.profile,
      );
    return { remote: documentUri(profile.provider, profile.name, mapped.mapping.bucket, mapped.key), local: arg };
  }
  const remote = objectDocumentUri(feature, arg);
  if (!remote) return vscode.l10n.t('Pick a file in the Explorer or an object in the Buckets view to open its changes.');
  // A pair a run compared (the Results view) names its local file: no mapping needed.
  const localPath = typeof arg === 'object' && arg !== null ? (arg as { localPath?: unknown }).localPath : undefined;
  if (typeof localPath === 'string') return { remote, local: vscode.Uri.file(localPath) };
  const location = parseDocumentUri(remote)!;
  const mapped = localUriForRemote({ profile: location.profile, bucket: location.bucket!, key: location.key });
  if (!mapped)
    return vscode.l10n.t('No workspace folder is mapped to {0}/{1} ("Map Folder to Bucket…").', location.bucket ?? '', location.key);
  return { remote, local: mapped.uri };
}
