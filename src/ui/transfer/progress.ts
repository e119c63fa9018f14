import * as vscode from 'vscode';
import { describeProgress, ProgressMeter } from '../../transfer/progress';
import type { TransferProgress } from '../../transfer/upload';

/**
 * Run a transfer under a cancellable notification showing bytes, speed and time left. The editor's
 * cancellation token becomes the core's `AbortSignal`; reports are throttled to ~4 per second.
 */
export function withTransferProgress<T>(
  title: string,
  work: (signal: AbortSignal, onProgress: (p: TransferProgress) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      const meter = new ProgressMeter((r) => progress.report({ message: describeProgress(r), increment: r.increment * 100 }));
      try {
        return await work(controller.signal, (p) => meter.update(p));
      } finally {
        sub.dispose();
      }
    },
  );
}
