import { formatBytes, formatDuration, formatSpeed } from '../util/format';
import { ProgressMeter, type MeterOptions } from '../util/progress';
import type { TransferProgress } from './upload';

/** What a progress display needs: bytes, speed and time left. */
export interface ProgressReport extends TransferProgress {
  /** Bytes per second over the last few seconds. */
  bytesPerSecond: number;
  /** Seconds left at the current speed; `undefined` until a speed is known. */
  etaSeconds?: number;
  /** Fraction of the total since the previous report (0..1), for increment-based progress bars. */
  increment: number;
}

/** A `ProgressMeter` (src/util/progress.ts) over a transfer's bytes. */
export function transferMeter<P extends TransferProgress>(
  emit: (report: P & ProgressReport) => void,
  options?: MeterOptions,
): ProgressMeter<P> {
  return new ProgressMeter<P>(
    (p) => ({ done: p.bytesDone, total: p.bytesTotal }),
    (p, pace) => emit({ ...p, bytesPerSecond: pace.perSecond, etaSeconds: pace.etaSeconds, increment: pace.increment }),
    options,
  );
}

/**
 * One line for a progress bar: `12 MiB of 40 MiB · 8.0 MiB/s · 4s left`. Once every byte is sent the time
 * left is not shown: what remains (completing, the last CRC-64 check) is not measured in bytes.
 */
export function describeProgress(r: ProgressReport): string {
  const line = `${formatBytes(r.bytesDone)} of ${formatBytes(r.bytesTotal)} · ${formatSpeed(r.bytesPerSecond)}`;
  return r.bytesDone >= r.bytesTotal ? line : `${line} · ${formatDuration(r.etaSeconds)} left`;
}
