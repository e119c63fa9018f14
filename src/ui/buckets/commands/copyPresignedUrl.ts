import * as vscode from 'vscode';
import { DEFAULT_PRESIGNED_SECONDS, parseLifetime } from '../../../storage/urls';
import { formatDuration } from '../../../util/format';
import { remoteTargetOf } from '../../shared/commandArgs';
import type { BucketsFeature } from '../bucketsFeature';

/**
 * `bucketIntegrity.copyPresignedUrl` ("Copy Presigned URL…"): a GET URL signed with the profile's keys,
 * valid for the lifetime asked (default 1 hour, at most 7 days), to the clipboard. Anyone holding it can
 * read the object until then, so it is never written to the log; only that one was made, and until when.
 * `lifetime` (seconds, or text such as "30m") skips the prompt. Returns the URL.
 */
export async function copyPresignedUrl(feature: BucketsFeature, arg?: unknown, lifetime?: unknown): Promise<string | undefined> {
  const target = remoteTargetOf(arg ?? feature.view?.selection[0]);
  if (!target || target.isPrefix) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick an object in the Buckets view to copy a presigned URL for it.'));
    return undefined;
  }
  let seconds: number | string | undefined =
    typeof lifetime === 'number' ? lifetime : typeof lifetime === 'string' ? parseLifetime(lifetime) : undefined;
  if (seconds === undefined) {
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Presigned URL for {0}', target.key),
      prompt: vscode.l10n.t('How long anyone holding the URL may read the object: 30m, 1h, 2d … at most 7d'),
      value: '1h',
      validateInput: (v) => {
        const r = parseLifetime(v);
        return typeof r === 'string' ? r : undefined;
      },
    });
    if (text === undefined) return undefined;
    seconds = parseLifetime(text);
  }
  if (typeof seconds === 'string') throw new Error(seconds);
  const store = await feature.services.storeFor(target.profile);
  const url = store.presignedUrl(target.bucket, target.key, seconds ?? DEFAULT_PRESIGNED_SECONDS);
  await vscode.env.clipboard.writeText(url);
  const until = new Date(Date.now() + seconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
  // The URL itself is a credential for the object: only the fact goes to the log.
  feature.log.info(
    `Presigned URL for ${target.profile}: ${target.bucket}/${target.key} copied, valid ${formatDuration(seconds)} (until ${until}); the URL is not logged.`,
  );
  vscode.window.setStatusBarMessage(
    vscode.l10n.t('Copied a URL to {0} valid for {1} (until {2})', target.key, formatDuration(seconds), until),
    5000,
  );
  return url;
}
