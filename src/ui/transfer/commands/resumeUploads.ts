import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { UploadCheckpoint } from '../../../transfer/checkpoint';
import { formatBytes } from '../../../util/format';
import { profileOfServiceId, type TransferServices } from '../transferServices';
import { abortCheckpoints, runUploads, type TransferReport } from '../run';

/** Checkpoints that can still be resumed: a known profile and the local file still there. */
export async function resumableUploads(services: TransferServices): Promise<UploadCheckpoint[]> {
  const out: UploadCheckpoint[] = [];
  for (const cp of await services.checkpoints.all()) {
    if (!profileOfServiceId(cp.service)) continue;
    if (!(await fs.stat(cp.localPath).catch(() => undefined))?.isFile()) continue;
    out.push(cp);
  }
  return out;
}

/**
 * `bucketIntegrity.resumeUploads`: pick interrupted uploads to continue (or to abort, leaving no parts in
 * the bucket). An upload whose local file changed starts over; the uploader checks that.
 */
export async function resumeUploads(services: TransferServices, checkpoints?: UploadCheckpoint[]): Promise<TransferReport | undefined> {
  const all = checkpoints ?? (await resumableUploads(services));
  if (all.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No interrupted uploads to resume.'));
    return undefined;
  }
  const items = all.map((cp) => ({
    label: basename(cp.localPath),
    description: `→ ${profileOfServiceId(cp.service)}: ${cp.bucket}/${cp.key}`,
    detail: vscode.l10n.t(
      '{0} part(s) of {1} uploaded, {2} in all · started {3}',
      cp.parts.length,
      formatBytes(cp.partSize),
      formatBytes(cp.localSize),
      new Date(cp.createdAt).toLocaleString(),
    ),
    picked: true,
    cp,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: vscode.l10n.t('Interrupted uploads'),
    ignoreFocusOut: true,
  });
  if (!picked?.length) return undefined;
  const action = await vscode.window.showQuickPick([vscode.l10n.t('Resume'), vscode.l10n.t('Abort and remove uploaded parts')], {
    title: vscode.l10n.t('{0} upload(s)', picked.length),
  });
  if (!action) return undefined;
  if (action !== vscode.l10n.t('Resume')) {
    await abortCheckpoints(
      services,
      picked.map((p) => p.cp),
    );
    void vscode.window.showInformationMessage(vscode.l10n.t('Aborted {0} interrupted upload(s).', picked.length));
    return undefined;
  }
  return runUploads(
    services,
    picked.map(({ cp }) => ({
      localPath: cp.localPath,
      isFolder: false,
      profile: profileOfServiceId(cp.service)!,
      bucket: cp.bucket,
      key: cp.key,
    })),
  );
}
