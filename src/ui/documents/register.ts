import * as vscode from 'vscode';
import { offerRestore } from '../shared/restoreFlow';
import type { BadgeStore } from '../../integrity/badgeStore';
import { ObjectTooLargeError } from '../../transfer/read/verifiedRead';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import { openChanges, takeDiffOpening } from './commands/openChanges';
import { openObject } from './commands/openObject';
import { downloadVersion, openVersion } from './commands/versions';
import { maxOpenBytes, type DocumentsFeature } from './context';
import { DOCUMENT_SCHEMES } from './documentUri';
import { RemoteFileSystem, type DocumentNotices } from './remoteFileSystem';
import type { CommandId } from '../commandIds';

/** Context key: the local files whose badge says "mismatch" (fsPath → true), for `resourcePath in …` menus. */
const MISMATCHED_FILES = 'bucketIntegrity.mismatchedFiles';

/**
 * Remote objects as read-only documents (`cos://` / `oss://` file systems), **Open** on an object and
 * **Open Changes** (the diff editor, object ↔ local file).
 */
export function registerDocuments(context: vscode.ExtensionContext, services: Services): DocumentsFeature {
  const log = services.logger('documents');
  const notices: DocumentNotices = {
    archived: (uri, place) => {
      // Met while Open Changes opened its diff: after the restore, the diff again, not the object alone.
      const diff = takeDiffOpening(uri);
      void offerRestore(
        { storeFor: (name) => services.storeFor(name), log },
        place,
        diff ? vscode.l10n.t('Open Changes') : 'opening it',
        diff ?? (() => vscode.commands.executeCommand('vscode.open', uri)),
      );
    },
    notVerified: (uri, reason) => {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is shown NOT verified: {1}.', uri.toString(true), reason));
    },
    refused: (uri, err) => {
      if (!(err instanceof ObjectTooLargeError)) {
        void vscode.window.showErrorMessage(err.message);
        return;
      }
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t('{0} Change bucketIntegrity.documents.maxOpenSizeMiB, or open it once.', err.message),
          vscode.l10n.t('Open Anyway'),
        )
        .then(async (pick) => {
          if (pick !== vscode.l10n.t('Open Anyway')) return;
          fileSystem.allowOnce(uri);
          await vscode.commands.executeCommand('vscode.open', uri);
        });
    },
  };
  const fileSystem = new RemoteFileSystem(services, log, notices, maxOpenBytes);
  for (const scheme of DOCUMENT_SCHEMES) {
    context.subscriptions.push(
      vscode.workspace.registerFileSystemProvider(scheme, fileSystem, { isCaseSensitive: true, isReadonly: true }),
    );
  }
  context.subscriptions.push(fileSystem);
  const feature: DocumentsFeature = { services, fileSystem, log };
  const command = (id: CommandId, run: (...args: unknown[]) => unknown): void => registerCommand(context, log, id, run);
  command('bucketIntegrity.openObject', (node) => openObject(feature, node));
  command('bucketIntegrity.openChanges', (target) => openChanges(feature, target));
  command('bucketIntegrity.openVersion', (node) => openVersion(feature, node));
  command('bucketIntegrity.downloadVersion', (node, target) =>
    downloadVersion(feature, node, typeof target === 'string' ? target : undefined),
  );
  context.subscriptions.push(trackMismatchedFiles(services.badges));
  return feature;
}

/** Keeps the `bucketIntegrity.mismatchedFiles` context key in step with the badges of local files. */
function trackMismatchedFiles(badges: BadgeStore): vscode.Disposable {
  const mismatched: Record<string, true> = {};
  const sub = badges.onDidChange((keys) => {
    let changed = false;
    for (const key of keys) {
      if (!key.startsWith('file:')) continue;
      const path = vscode.Uri.parse(key).fsPath;
      const isMismatch = badges.get(key)?.status === 'differ';
      if (isMismatch === path in mismatched) continue;
      if (isMismatch) mismatched[path] = true;
      else delete mismatched[path];
      changed = true;
    }
    if (changed) void vscode.commands.executeCommand('setContext', MISMATCHED_FILES, { ...mismatched });
  });
  return new vscode.Disposable(() => sub.dispose());
}
