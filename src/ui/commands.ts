import * as vscode from 'vscode';
import { StorageError } from '../storage/errors';
import { isCancelled } from '../util/errors';
import type { CommandArgs } from './commandArgs';
import type { CommandId } from './commandIds';
import { componentLogger, type Logger } from './logger';

/**
 * Commands that send no request with keys, so they work in Restricted Mode (an untrusted workspace). Any
 * other command refuses there, before its first question: a command added later is refused by default.
 */
const WORKS_IN_RESTRICTED_MODE = new Set([
  'bucketIntegrity.computeCrc64',
  'bucketIntegrity.showLog',
  'bucketIntegrity.addProfile',
  'bucketIntegrity.editProfile',
  'bucketIntegrity.removeProfile',
  'bucketIntegrity.setProfileKeys',
  'bucketIntegrity.refresh',
  'bucketIntegrity.refreshNode',
  'bucketIntegrity.filterPrefix',
  'bucketIntegrity.clearFilter',
  'bucketIntegrity.copyKey',
  'bucketIntegrity.copyCrc64',
  'bucketIntegrity.exportVerifyReport',
  'bucketIntegrity.filterResults',
  'bucketIntegrity.exportResults',
  'bucketIntegrity.clearResults',
]);

export const RESTRICTED_MODE_MESSAGE =
  vscode.l10n.t('Restricted Mode: Bucket Integrity sends no request with your keys from a workspace you have not trusted. ') +
  vscode.l10n.t(
    'Trust the workspace (Manage Workspace Trust) to list buckets, compare, upload or download; Compute CRC-64 works meanwhile.',
  );

/**
 * Registers a command whose failures become one error message (with the error's hint when it has one)
 * and one log line; cancellation shows nothing. The command's result is returned to the caller
 * (`executeCommand`), so other commands and tests can use it.
 */
export function registerCommand(context: vscode.ExtensionContext, log: Logger, id: CommandId, run: (...args: unknown[]) => unknown): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      if (!vscode.workspace.isTrusted && !WORKS_IN_RESTRICTED_MODE.has(id)) {
        log.warn(`${id}: refused in Restricted Mode.`);
        void vscode.window.showWarningMessage(RESTRICTED_MODE_MESSAGE);
        return undefined;
      }
      try {
        return await run(...args);
      } catch (err) {
        if (isCancelled(err)) return undefined;
        const message = userMessage(err);
        log.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
    }),
  );
}

/** The message a user sees for an error: what happened, then what to do about it. */
export function userMessage(err: unknown): string {
  if (err instanceof StorageError) return err.hint ? `${err.message} ${err.hint}` : err.message;
  // Other typed errors (the CRC record's, an inventory's) carry a hint too.
  const hint = (err as { hint?: unknown } | null)?.hint;
  if (err instanceof Error) return typeof hint === 'string' && hint ? `${err.message} ${hint}` : err.message;
  return String(err);
}

/** Runs one of the extension's own commands: its id and its arguments typed (`commandArgs.ts`). */
export function runCommand<K extends CommandId>(id: K, ...args: NoInfer<CommandArgs[K]>): Thenable<unknown> {
  return vscode.commands.executeCommand(id, ...args);
}

/** `bucketIntegrity.showLog`: the channel, brought to front (the "Show Log" of every notification runs it). */
export function registerShowLog(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): void {
  const log = componentLogger(channel, 'log');
  registerCommand(context, log, 'bucketIntegrity.showLog', () => channel.show(true));
}
