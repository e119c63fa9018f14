import { describeProgress, ProgressMeter } from '../../transfer/progress';
import type { TransferProgress } from '../../transfer/upload';
import { withNotificationProgress } from '../shared/progress';

/**
 * Run a transfer under a cancellable notification showing bytes, speed and time left. The editor's
 * cancellation token becomes the core's `AbortSignal`; reports are throttled to ~4 per second.
 */
export function withTransferProgress<T>(
  title: string,
  work: (signal: AbortSignal, onProgress: (p: TransferProgress) => void) => Promise<T>,
): Thenable<T> {
  return withNotificationProgress(title, (signal, progress) => {
    const meter = new ProgressMeter((r) => progress.report({ message: describeProgress(r), increment: r.increment * 100 }));
    return work(signal, (p) => meter.update(p));
  });
}
