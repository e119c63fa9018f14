import * as vscode from 'vscode';
import { isCancelled } from '../../util/errors';
import { ProgressThrottle } from '../../util/progress';

/**
 * The editor's cancellation token as the core's `AbortSignal`. Dispose the result when the work is done
 * so the token's listener does not outlive it.
 */
export function signalFromToken(token: vscode.CancellationToken): { signal: AbortSignal } & vscode.Disposable {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const sub = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => sub.dispose() };
}

/** Work shown in a cancellable notification, with the token bridged to an `AbortSignal`. */
export function withNotificationProgress<T>(
  title: string,
  work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const bridge = signalFromToken(token);
      try {
        return await work(bridge.signal, progress);
      } finally {
        bridge.dispose();
      }
    },
  );
}

/**
 * Run under a cancellable notification that shows text messages (throttled); cancellation resolves to
 * undefined instead of throwing.
 */
export async function withCancellableProgress<T>(
  title: string,
  run: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
): Promise<T | undefined> {
  try {
    return await withNotificationProgress(title, (signal, progress) => {
      const throttle = new ProgressThrottle();
      const report = (message: string): void => {
        if (throttle.due()) progress.report({ message });
      };
      return run(signal, report);
    });
  } catch (err) {
    if (isCancelled(err)) return undefined;
    throw err;
  }
}
