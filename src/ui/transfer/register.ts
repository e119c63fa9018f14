import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { Logger } from '../logger';
import { log, type TransferServices } from './transferServices';
import { download, downloadFolder } from './commands/download';
import { resumableUploads, resumeUploads } from './commands/resumeUploads';
import { uploadFromExplorer } from './commands/uploadFromExplorer';
import { uploadHere } from './commands/uploadHere';
import type { UploadItem } from './run';
import type { CommandId } from '../commandIds';

/** Verified uploads and downloads: Explorer, tree and palette commands, and the resume offer at startup. */
export function registerTransfer(
  context: vscode.ExtensionContext,
  services: TransferServices & { logger(component: string): Logger },
): void {
  const logger = services.logger('transfer');
  const command = (id: CommandId, run: (...args: unknown[]) => Promise<unknown>): void => registerCommand(context, logger, id, run);
  command('bucketIntegrity.upload', (clicked, selected) => uploadFromExplorer(services, clicked, selected));
  command('bucketIntegrity.uploadHere', (node, items) => uploadHere(services, node, items as UploadItem[] | undefined));
  command('bucketIntegrity.download', (node) => download(services, node));
  command('bucketIntegrity.downloadFolder', (node) => downloadFolder(services, node));
  command('bucketIntegrity.resumeUploads', () => resumeUploads(services));

  // Offer to continue uploads interrupted by a crash, a reload or a "keep for resume" cancel.
  const timer = setTimeout(() => void offerResume(services), 3000);
  context.subscriptions.push({ dispose: () => clearTimeout(timer) });
}

async function offerResume(services: TransferServices): Promise<void> {
  try {
    const pending = await resumableUploads(services);
    if (pending.length === 0) return;
    const pick = await vscode.window.showInformationMessage(
      pending.length === 1
        ? vscode.l10n.t('{0} interrupted upload can be resumed.', pending.length)
        : vscode.l10n.t('{0} interrupted uploads can be resumed.', pending.length),
      vscode.l10n.t('Resume…'),
      vscode.l10n.t('Later'),
    );
    if (pick === vscode.l10n.t('Resume…')) await resumeUploads(services, pending);
  } catch (err) {
    log(services, `Could not offer to resume interrupted uploads: ${(err as Error).message}`);
  }
}
