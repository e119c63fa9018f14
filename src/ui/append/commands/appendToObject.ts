import { basename } from 'node:path';
import * as vscode from 'vscode';
import { isAppendable } from '../../../storage/capabilities';
import type { AppendResult } from '../../../transfer/append';
import type { Services } from '../../services';
import { remoteTargetOf } from '../../shared/commandArgs';
import { notify, placeText } from '../../shared/notify';
import { withCancellableProgress } from '../../shared/progress';

/**
 * `Append to Object…` on an OSS object: the new bytes of a local file (a growing log) are appended from
 * the object's length, checked by combining CRC-64s. The local file comes as the second argument (tests,
 * other commands) or from an open dialog.
 */
export async function appendToObject(services: Services, target: unknown, local?: unknown): Promise<AppendResult | undefined> {
  const place = remoteTargetOf(target);
  if (!place || place.isPrefix) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Append to Object… works on an object in the Buckets view.'));
    return undefined;
  }
  const store = await services.storeFor(place.profile);
  if (!isAppendable(store)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Append to Object… needs an OSS object: COS has no appendable objects.'));
    return undefined;
  }
  const file = local instanceof vscode.Uri ? local : await pickFile(place.key);
  if (!file) return undefined;
  const { appendFile } = await import('../../../transfer/append');
  const log = services.logger('append');
  const result = await withCancellableProgress(vscode.l10n.t('Appending to {0}', place.key), (signal, report) =>
    appendFile(store, {
      bucket: place.bucket,
      key: place.key,
      localPath: file.fsPath,
      signal,
      log: (line) => log.info(line),
      onProgress: (p) => report(vscode.l10n.t('{0} of {1} new bytes', p.bytesDone, p.bytesTotal)),
    }),
  );
  if (result) {
    const object = { profile: place.profile, bucket: place.bucket, key: place.key };
    void notify(
      result.outcome !== 'up-to-date' && !result.verified ? 'warning' : 'info',
      summary(result, basename(file.fsPath), placeText(object)),
      { reveal: object },
    );
  }
  return result;
}

async function pickFile(key: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Append New Bytes'),
    title: vscode.l10n.t('Local file whose new bytes are appended to {0}', key),
  });
  return picked?.[0];
}

/** Names the file and the object: `Appended 12 bytes of app.log to Demo OSS:logs/app.log (…)`. */
function summary(r: AppendResult, file: string, object: string): string {
  if (r.outcome === 'up-to-date') return vscode.l10n.t('{0} already has every byte of {1}; nothing appended.', object, file);
  const check = r.verified ? vscode.l10n.t('verified, CRC-64 {0}', r.crc64) : vscode.l10n.t('NOT verified: {0}', r.reason ?? '');
  return vscode.l10n.t('Appended {0} bytes of {1} to {2} (now {3} bytes; {4}).', r.appendedBytes, file, object, r.size, check);
}
