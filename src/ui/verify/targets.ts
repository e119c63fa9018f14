import * as vscode from 'vscode';
import { CancelledError } from '../../util/errors';
import { remoteTargetOf, type RemoteTarget } from '../shared/commandArgs';
import { normalizePrefix } from '../shared/mappingModel';
import { localUriForRemote } from '../shared/mappingSettings';
import { pickProfile } from '../shared/pickProfile';
import { pickBucket } from '../shared/pickBucket';
import type { VerifyFeature, VerifyTarget } from './verifyFeature';

export { pickBucket };

export type { VerifyTarget };

/**
 * The bucket or prefix a command argument names (a tree node, `{ profile, bucket, prefix }`, a URI),
 * else the Buckets view's selection, else asked for (profile, bucket and, with `askPrefix`, a prefix).
 * An object stands for the folder it is in.
 */
export async function verifyTargetOf(feature: VerifyFeature, arg: unknown, title: string, askPrefix: boolean): Promise<VerifyTarget> {
  const given = remoteTargetOf(arg ?? feature.buckets?.selection());
  if (given) return { profile: given.profile, bucket: given.bucket, prefix: normalizePrefix(containerPrefix(given)) };
  const profile = await pickProfile(feature.services.profiles, title);
  const bucket = await pickBucket(await feature.services.storeFor(profile.name), `${title}: bucket`);
  if (!askPrefix) return { profile: profile.name, bucket, prefix: '' };
  const prefix = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0}: prefix in {1}', title, bucket),
    prompt: vscode.l10n.t('Folder in the bucket, e.g. backups/2024/ (empty for the whole bucket)'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.includes('..') ? vscode.l10n.t('A prefix cannot contain "..".') : undefined),
  });
  if (prefix === undefined) throw new CancelledError();
  return { profile: profile.name, bucket, prefix: normalizePrefix(prefix.trim()) };
}

function containerPrefix(t: RemoteTarget): string {
  if (t.isPrefix) return t.key;
  const at = t.key.lastIndexOf('/');
  return at < 0 ? '' : t.key.slice(0, at + 1);
}

/** The local folder a mapping sends the target to, when one covers it and the folder exists. */
export async function mappedFolderOf(target: VerifyTarget): Promise<string | undefined> {
  const dir = localUriForRemote({ profile: target.profile, bucket: target.bucket, key: target.prefix })?.uri.fsPath;
  if (!dir) return undefined;
  try {
    const stat = await vscode.workspace.fs.stat(vscode.Uri.file(dir));
    return (stat.type & vscode.FileType.Directory) !== 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** `cos://bucket/prefix/` for messages and reports. */
export function remoteUrlOf(provider: string, target: VerifyTarget): string {
  return `${provider}://${target.bucket}/${target.prefix}`;
}
