import { formatBytes, formatDuration, formatSpeed } from '../util/format';
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

/**
 * Turns raw byte counts into throttled reports (at most one every `intervalMs`, ~4 per second by
 * default) with a moving-window speed, so a fast transfer never floods the editor with updates.
 */
export class ProgressMeter {
  private samples: Array<{ t: number; bytes: number }> = [];
  private lastEmit = -Infinity;
  private lastFraction = 0;

  constructor(
    private readonly emit: (report: ProgressReport) => void,
    private readonly intervalMs = 250,
    private readonly windowMs = 5000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Feed the latest counts; emits when the interval has passed or the transfer is complete. */
  update(progress: TransferProgress): void {
    const t = this.now();
    this.samples.push({ t, bytes: progress.bytesDone });
    // The oldest sample kept is the newest one at least a window old: parts finish in bursts a few ms
    // apart with nothing in between, and a baseline inside the burst would make the speed enormous and
    // the time left read "0s" (keeping only the last two samples did exactly that).
    while (this.samples.length > 2 && t - this.samples[1].t >= this.windowMs) this.samples.shift();
    const finished = progress.bytesTotal > 0 && progress.bytesDone >= progress.bytesTotal;
    if (!finished && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    const first = this.samples[0];
    const dt = (t - first.t) / 1000;
    const bytesPerSecond = dt > 0 ? Math.max(0, (progress.bytesDone - first.bytes) / dt) : 0;
    const left = Math.max(0, progress.bytesTotal - progress.bytesDone);
    const etaSeconds = bytesPerSecond > 0 ? left / bytesPerSecond : undefined;
    const fraction = progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : 1;
    const increment = Math.max(0, fraction - this.lastFraction);
    this.lastFraction = Math.max(this.lastFraction, fraction);
    this.emit({ ...progress, bytesPerSecond, etaSeconds, increment });
  }
}

/**
 * One line for a progress bar: `12 MiB of 40 MiB · 8.0 MiB/s · 4s left`. Once every byte is sent the time
 * left is not shown: what remains (completing, the last CRC-64 check) is not measured in bytes.
 */
export function describeProgress(r: ProgressReport): string {
  const line = `${formatBytes(r.bytesDone)} of ${formatBytes(r.bytesTotal)} · ${formatSpeed(r.bytesPerSecond)}`;
  return r.bytesDone >= r.bytesTotal ? line : `${line} · ${formatDuration(r.etaSeconds)} left`;
}
