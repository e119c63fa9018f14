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

const TITLE = 'Map Folder to Bucket';

/**
 * `bucketIntegrity.mapFolder`: records which local folder corresponds to which remote prefix. From the
 * Explorer (a folder): asks the profile, bucket and prefix. From the Buckets view (a bucket or folder):
 * asks the local folder. With `{ localFolder, profile, bucket, prefix }` it asks nothing. The mapping goes
 * to the workspace settings, replacing any other mapping of the same local folder.
 */
export async function mapFolder(services: Services, ...args: unknown[]): Promise<FolderMapping | undefined> {
  const first = mappingRootFor();
  if (!first) throw new Error('Open a folder first: mappings are relative to the workspace folder.');
  const given = mapFolderArgsOf(args);
  const interactive = !(given.localFolder !== undefined || given.localPath) || !given.profile || !given.bucket || given.prefix === undefined;

  let localFolder: string | undefined;
  // A folder is mapped relative to the workspace folder that contains it.
  let root = first;
  if (given.localFolder !== undefined) localFolder = normalizeLocalFolder(given.localFolder);
  else {
    const localPath = given.localPath ?? (await askLocalFolder(first));
    root = mappingRootFor(vscode.Uri.file(localPath)) ?? first;
    localFolder = workspaceRelative(root.fsPath, localPath);
  }
  if (localFolder === undefined) throw new Error(`The folder must be inside the workspace folder ${root.fsPath}.`);

  const profile = given.profile ?? (await pickProfile(services.profiles, `${TITLE}: profile`)).name;
  const bucket = given.bucket ?? (await askBucket(services, profile));
  const prefix = given.prefix ?? (await askPrefix(localFolder, bucket));

  const mapping: FolderMapping = { localFolder, profile, bucket, prefix };
  const problems = mappingProblems(mapping);
  if (problems.length > 0) throw new Error(`The mapping is not valid: ${problems.join(' ')}`);

  const raw = rawSetting('mappings');
  const existing = parseMappings(raw).mappings;
  if (existing.some((m) => sameMapping(m, mapping))) {
    if (interactive) void vscode.window.showInformationMessage(`${describe(mapping)} is already mapped.`);
    return mapping;
  }
  const replaced = existing.filter((m) => m.localFolder === mapping.localFolder);
  if (replaced.length > 0 && interactive) {
    const answer = await vscode.window.showWarningMessage(
      `"${mapping.localFolder || '(workspace folder)'}" is mapped to ${replaced.map(remoteText).join(', ')}. Replace it?`,
      { modal: true },
      'Replace',
    );
    if (answer !== 'Replace') throw new CancelledError();
  }
  // Keep entries this version could not parse: they are the user's to fix.
  const kept = (Array.isArray(raw) ? raw : []).filter((item) => {
    const m = item as Partial<FolderMapping>;
    return typeof m?.localFolder !== 'string' || normalizeLocalFolder(m.localFolder) !== mapping.localFolder;
  });
  await writeSetting('mappings', [...kept, mapping], vscode.ConfigurationTarget.Workspace);
  services.logger('mappings').info(`Mapped ${describe(mapping)}.`);
  if (interactive) void vscode.window.showInformationMessage(`Mapped ${describe(mapping)}.`);
  return mapping;
}

function remoteText(m: FolderMapping): string {
  return `${m.profile}: ${m.bucket}/${m.prefix}`;
}

function describe(m: FolderMapping): string {
  return `"${m.localFolder || '(workspace folder)'}" ↔ ${remoteText(m)}`;
}

/** The absolute path of the folder the user picks. */
async function askLocalFolder(root: vscode.Uri): Promise<string> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: root,
    openLabel: 'Map This Folder',
    title: `${TITLE}: local folder`,
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
      { location: vscode.ProgressLocation.Window, title: `Listing buckets of ${profile}` },
      async () => (await (await services.storeFor(profile)).listBuckets()).map((b) => b.name),
    );
  } catch (err) {
    problem = userMessage(err);
  }
  if (buckets.length > 0) {
    const pick = await vscode.window.showQuickPick([...buckets, enter], { title: `${TITLE}: bucket`, placeHolder: `Buckets of ${profile}` });
    if (!pick) throw new CancelledError();
    if (pick !== enter) return pick;
  }
  const name = await vscode.window.showInputBox({
    title: `${TITLE}: bucket`,
    prompt: problem ? `Bucket name (the buckets could not be listed: ${problem})` : 'Bucket name',
    ignoreFocusOut: true,
    validateInput: (v) => (mappingProblems({ localFolder: '', profile, bucket: v.trim(), prefix: '' }).length ? 'Enter a bucket name (lowercase letters, digits, "-", ".").' : undefined),
  });
  if (name === undefined) throw new CancelledError();
  return name.trim();
}

async function askPrefix(localFolder: string, bucket: string): Promise<string> {
  const prefix = await vscode.window.showInputBox({
    title: `${TITLE}: prefix`,
    prompt: `Prefix in ${bucket} that corresponds to "${localFolder || '(workspace folder)'}" (empty for the bucket root)`,
    value: defaultPrefixFor(localFolder),
    ignoreFocusOut: true,
  });
  if (prefix === undefined) throw new CancelledError();
  return prefix.trim().replace(/^\/+/, '') === '' ? '' : defaultPrefixFor(prefix.trim());
}
