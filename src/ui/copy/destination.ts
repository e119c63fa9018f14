import * as vscode from 'vscode';
import type { ObjectRef } from '../../transfer/copy/types';
import type { CopyFeature } from './context';
import { parseDestination } from './context';

/** Where a copy goes: a profile (the source's or another cloud's or account's), a bucket and a key. */
export interface Destination extends ObjectRef {
  profile: string;
}

/** `{ profile?, bucket, key }` (the source's profile when left out), or `bucket/key` in the source's profile. */
export type DestinationArg = (ObjectRef & { profile?: string }) | string;

type Source = ObjectRef & { profile: string };

/**
 * The destination of Copy To… / Move or Rename…: the one given, else asked for — the profile (the
 * source's first, then the others), the bucket (the source's first), then the key or a folder ending
 * with "/" (which keeps the source's name). Undefined when the user backs out.
 */
export async function destinationOf(
  feature: CopyFeature,
  source: Source,
  given: DestinationArg | undefined,
  move: boolean,
): Promise<Destination | undefined> {
  if (typeof given === 'object' && given) return { profile: given.profile ?? source.profile, bucket: given.bucket, key: given.key };
  if (typeof given === 'string') {
    const target = parseDestination(given);
    if (!target) throw new Error(vscode.l10n.t('"{0}" is not a destination: type the bucket, a slash, then the key.', given));
    return { profile: source.profile, ...target };
  }
  const verb = move ? vscode.l10n.t('Move or rename to') : vscode.l10n.t('Copy to');
  const profile = await askProfile(feature, source.profile, verb);
  if (!profile) return undefined;
  const bucket = await askBucket(feature, profile, profile === source.profile ? source.bucket : undefined, verb);
  if (!bucket) return undefined;
  const name = source.key.slice(source.key.lastIndexOf('/') + 1);
  const folderLength = source.key.length - name.length;
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0}: key in {1}/{2} (a folder ending with "/" keeps the name)', verb, profile, bucket),
    value: source.key,
    valueSelection: [folderLength, source.key.length],
    validateInput: (v) =>
      v.trim().replace(/^\/+/, '') === '' ? vscode.l10n.t('Type a key, e.g. folder/name.txt, or a folder ending with "/"') : undefined,
  });
  if (key === undefined) return undefined;
  const trimmed = key.trim().replace(/^\/+/, '');
  return { profile, bucket, key: trimmed.endsWith('/') ? trimmed + name : trimmed };
}

/** The source's profile first, then the others (another cloud or account: a verified migration). */
async function askProfile(feature: CopyFeature, current: string, verb: string): Promise<string | undefined> {
  const others = feature.profileNames().filter((n) => n !== current);
  if (others.length === 0) return current;
  const items = [
    { label: current, description: vscode.l10n.t('this profile') },
    ...others.map((n) => ({
      label: n,
      description: vscode.l10n.t('another profile: streamed, verified migration unless same cloud and keys'),
    })),
  ];
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('{0}: profile', verb), ignoreFocusOut: true }))?.label;
}

/** The profile's buckets, the source's first when it is the same profile. */
async function askBucket(feature: CopyFeature, profile: string, current: string | undefined, verb: string): Promise<string | undefined> {
  const store = await feature.services.storeFor(profile);
  const names = (
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing buckets of {0}', profile) },
      () => store.listBuckets(),
    )
  ).map((b) => b.name);
  if (names.length === 0) throw new Error(vscode.l10n.t('Profile "{0}" sees no bucket.', profile));
  const ordered = [...(current && names.includes(current) ? [current] : []), ...names.filter((n) => n !== current).sort()];
  const items = ordered.map((n) => ({ label: n, description: n === current ? vscode.l10n.t('this bucket') : undefined }));
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('{0}: bucket in {1}', verb, profile), ignoreFocusOut: true }))
    ?.label;
}
