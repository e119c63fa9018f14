import { describeProgress, transferMeter } from '../../transfer/progress';
import type { BatchProgress } from '../../transfer/batch';
import type { TransferProgress } from '../../transfer/upload';
import { withNotificationProgress } from '../shared/progress';

/**
 * Run a transfer under a cancellable notification showing bytes, speed and time left. The editor's
 * cancellation token becomes the core's `AbortSignal`; reports are throttled to ~4 per second. A batch of
 * several files also shows how many are done.
 */
export function withTransferProgress<T>(
  title: string,
  work: (signal: AbortSignal, onProgress: (p: TransferProgress & Partial<BatchProgress>) => void) => Promise<T>,
): Thenable<T> {
  return withNotificationProgress(title, (signal, progress) => {
    let files = '';
    const meter = transferMeter((r) => progress.report({ message: files + describeProgress(r), increment: r.increment * 100 }));
    return work(signal, (p) => {
      files = p.filesTotal !== undefined && p.filesTotal > 1 ? `${p.filesDone ?? 0} of ${p.filesTotal} files · ` : '';
      meter.update(p);
    });
  });
}
