import * as vscode from 'vscode';
import type { Services } from '../services';
import { computeCrc64 } from './commands/computeCrc64';
import type { CommandId } from '../commandIds';

const COMPUTE_CRC64: CommandId = 'bucketIntegrity.computeCrc64';

/** `Compute CRC-64` for workspace files and folders (Explorer context menu and palette). */
export function registerCompute(context: vscode.ExtensionContext, services: Services): void {
  const log = services.logger('compute');
  context.subscriptions.push(
    vscode.commands.registerCommand(COMPUTE_CRC64, async (clicked?: unknown, selected?: unknown) => {
      try {
        return await computeCrc64(services, clicked, selected);
      } catch (err) {
        log.error(err as Error);
        void vscode.window.showErrorMessage(vscode.l10n.t('Compute CRC-64 failed: {0}', (err as Error).message));
        return undefined;
      }
    }),
  );
}
