import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { mappedLocalFor } from '../../shared/mappingSettings';
import type { CompareFeature } from '../compareFeature';
import { runCompareJobs, type CompareJob, type CompareOutcome } from '../run';
import { runCommand } from '../../commands';

/** Local URIs from a command's arguments: Explorer `(clicked, selected)`, URIs, paths, `{ localPath }`. */
export function localUrisFromArgs(clicked: unknown, selected: unknown): vscode.Uri[] {
  const one = (v: unknown): vscode.Uri | undefined => {
    if (v instanceof vscode.Uri) return v.scheme === 'file' ? v : undefined;
    if (typeof v === 'string' && v) return vscode.Uri.file(v);
    if (typeof v === 'object' && v !== null && typeof (v as { localPath?: unknown }).localPath === 'string') {
      return vscode.Uri.file((v as { localPath: string }).localPath);
    }
    return undefined;
  };
  if (Array.isArray(selected) && selected.length > 0) {
    const all = selected.map(one).filter((u): u is vscode.Uri => !!u);
    if (all.length > 0) return all;
  }
  if (Array.isArray(clicked)) return clicked.map(one).filter((u): u is vscode.Uri => !!u);
  const single = one(clicked);
  return single ? [single] : [];
}

/** The compare job for a local file or folder, through the mappings; undefined when none covers it. */
export async function jobForLocal(feature: CompareFeature, uri: vscode.Uri): Promise<CompareJob | undefined> {
  let isFolder = false;
  try {
    isFolder = (await stat(uri.fsPath)).isDirectory();
  } catch {
    // A deleted file can still be compared: it is then "only in the bucket".
  }
  const mapped = mappedLocalFor(uri, isFolder);
  if (!mapped) return undefined;
  const profile = feature.services.profiles.get(mapped.mapping.profile);
  return {
    profile: mapped.mapping.profile,
    bucket: mapped.mapping.bucket,
    kind: isFolder ? 'folder' : 'file',
    localPath: uri.fsPath,
    key: mapped.key,
    localLabel: mapped.relativePath || '.',
    ...(profile ? { provider: profile.provider } : {}),
  };
}

/**
 * `bucketIntegrity.compareWithRemote`: Explorer files and folders (multi-select), or the active editor's
 * file, against the objects their mapping points to. Resolves to the results (and the report text).
 */
export async function compareWithRemote(
  feature: CompareFeature,
  clicked?: unknown,
  selected?: unknown,
): Promise<CompareOutcome | undefined> {
  let uris = localUrisFromArgs(clicked, selected);
  if (uris.length === 0) {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === 'file') uris = [active];
  }
  if (uris.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Pick a file or folder in the Explorer (inside a mapped folder) to compare it with its bucket.'),
    );
    return undefined;
  }
  const jobs: CompareJob[] = [];
  const unmapped: vscode.Uri[] = [];
  for (const uri of uris) {
    const job = await jobForLocal(feature, uri);
    if (job) jobs.push(job);
    else unmapped.push(uri);
  }
  if (unmapped.length > 0) {
    const names = unmapped.map((u) => vscode.workspace.asRelativePath(u)).join(', ');
    const message = vscode.l10n.t('No mapping covers {0}. Map its folder to a bucket prefix first.', names);
    if (jobs.length === 0) {
      const pick = await vscode.window.showWarningMessage(message, vscode.l10n.t('Map Folder to Bucket…'));
      if (pick) await runCommand('bucketIntegrity.mapFolder');
      return undefined;
    }
    void vscode.window.showWarningMessage(message);
  }
  return runCompareJobs(feature, jobs);
}
