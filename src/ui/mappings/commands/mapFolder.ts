import * as vscode from 'vscode';
import { CancelledError } from '../../../util/errors';
import { userMessage } from '../../commands';
import type { Services } from '../../services';
import { mappingRootFor } from '../../shared/mappingSettings';
import { pickProfile } from '../../shared/pickProfile';
import { workspaceRelative } from '../../shared/workspaceFolder';
import { defaultPrefixFor, mapFolderArgsOf } from '../mappingArgs';
import { mappingProblems, normalizeLocalFolder, parseMappings, sameMapping, type FolderMapping } from '../../shared/mappingModel';
import { rawSetting, writeSetting } from '../../shared/settings';

const TITLE = vscode.l10n.t('Map Folder to Bucket');

/**
 * `bucketIntegrity.mapFolder`: records which local folder corresponds to which remote prefix. From the
 * Explorer (a folder): asks the profile, bucket and prefix. From the Buckets view (a bucket or folder):
 * asks the local folder. With `{ localFolder, profile, bucket, prefix }` it asks nothing. The mapping goes
 * to the workspace settings, replacing any other mapping of the same local folder.
 */
export async function mapFolder(services: Services, ...args: unknown[]): Promise<FolderMapping | undefined> {
  const first = mappingRootFor();
  if (!first) throw new Error(vscode.l10n.t('Open a folder first: mappings are relative to the workspace folder.'));
  const given = mapFolderArgsOf(args);
  const interactive =
    !(given.localFolder !== undefined || given.localPath) || !given.profile || !given.bucket || given.prefix === undefined;

  let localFolder: string | undefined;
  // A folder is mapped relative to the workspace folder that contains it.
  let root = first;
  if (given.localFolder !== undefined) localFolder = normalizeLocalFolder(given.localFolder);
  else {
    const localPath = given.localPath ?? (await askLocalFolder(first));
    root = mappingRootFor(vscode.Uri.file(localPath)) ?? first;
    localFolder = workspaceRelative(root.fsPath, localPath);
  }
  if (localFolder === undefined) throw new Error(vscode.l10n.t('The folder must be inside the workspace folder {0}.', root.fsPath));

  const profile = given.profile ?? (await pickProfile(services.profiles, vscode.l10n.t('{0}: profile', TITLE))).name;
  const bucket = given.bucket ?? (await askBucket(services, profile));
  const prefix = given.prefix ?? (await askPrefix(localFolder, bucket));

  const mapping: FolderMapping = { localFolder, profile, bucket, prefix };
  const problems = mappingProblems(mapping);
  if (problems.length > 0) throw new Error(vscode.l10n.t('The mapping is not valid: {0}', problems.join(' ')));

  const raw = rawSetting('mappings');
  const existing = parseMappings(raw).mappings;
  if (existing.some((m) => sameMapping(m, mapping))) {
    if (interactive) void vscode.window.showInformationMessage(vscode.l10n.t('{0} is already mapped.', describe(mapping)));
    return mapping;
  }
  const replaced = existing.filter((m) => m.localFolder === mapping.localFolder);
  if (replaced.length > 0 && interactive) {
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        '"{0}" is mapped to {1}. Replace it?',
        mapping.localFolder || vscode.l10n.t('(workspace folder)'),
        replaced.map(remoteText).join(', '),
      ),
      { modal: true },
      vscode.l10n.t('Replace'),
    );
    if (answer !== vscode.l10n.t('Replace')) throw new CancelledError();
  }
  // Keep entries this version could not parse: they are the user's to fix.
  const kept = (Array.isArray(raw) ? raw : []).filter((item) => {
    const m = item as Partial<FolderMapping>;
    return typeof m?.localFolder !== 'string' || normalizeLocalFolder(m.localFolder) !== mapping.localFolder;
  });
  await writeSetting('mappings', [...kept, mapping], vscode.ConfigurationTarget.Workspace);
  services.logger('mappings').info(`Mapped ${describe(mapping)}.`);
  if (interactive) void vscode.window.showInformationMessage(vscode.l10n.t('Mapped {0}.', describe(mapping)));
  return mapping;
}

function remoteText(m: FolderMapping): string {
  return `${m.profile}: ${m.bucket}/${m.prefix}`;
}

function describe(m: FolderMapping): string {
  return `"${m.localFolder || vscode.l10n.t('(workspace folder)')}" ↔ ${remoteText(m)}`;
}

/** The absolute path of the folder the user picks. */
async function askLocalFolder(root: vscode.Uri): Promise<string> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: root,
    openLabel: vscode.l10n.t('Map This Folder'),
    title: vscode.l10n.t('{0}: local folder', TITLE),
  });
  if (!picked?.[0]) throw new CancelledError();
  return picked[0].fsPath;
}

/** Buckets of the profile to pick from; if they cannot be listed (e.g. no ListBuckets right), the name is typed. */
async function askBucket(services: Services, profile: string): Promise<string> {
  const enter = '$(edit) Enter a bucket name…';
  let buckets: string[] = [];
  let problem: string | undefined;
  try {
    buckets = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing buckets of {0}', profile) },
      async () => (await (await services.storeFor(profile)).listBuckets()).map((b) => b.name),
    );
  } catch (err) {
    problem = userMessage(err);
  }
  if (buckets.length > 0) {
    const pick = await vscode.window.showQuickPick([...buckets, enter], {
      title: vscode.l10n.t('{0}: bucket', TITLE),
      placeHolder: vscode.l10n.t('Buckets of {0}', profile),
    });
    if (!pick) throw new CancelledError();
    if (pick !== enter) return pick;
  }
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0}: bucket', TITLE),
    prompt: problem ? vscode.l10n.t('Bucket name (the buckets could not be listed: {0})', problem) : vscode.l10n.t('Bucket name'),
    ignoreFocusOut: true,
    validateInput: (v) =>
      mappingProblems({ localFolder: '', profile, bucket: v.trim(), prefix: '' }).length
        ? vscode.l10n.t('Enter a bucket name (lowercase letters, digits, "-", ".").')
        : undefined,
  });
  if (name === undefined) throw new CancelledError();
  return name.trim();
}

async function askPrefix(localFolder: string, bucket: string): Promise<string> {
  const prefix = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0}: prefix', TITLE),
    prompt: vscode.l10n.t(
      'Prefix in {0} that corresponds to "{1}" (empty for the bucket root)',
      bucket,
      localFolder || vscode.l10n.t('(workspace folder)'),
    ),
    value: defaultPrefixFor(localFolder),
    ignoreFocusOut: true,
  });
  if (prefix === undefined) throw new CancelledError();
  return prefix.trim().replace(/^\/+/, '') === '' ? '' : defaultPrefixFor(prefix.trim());
}
