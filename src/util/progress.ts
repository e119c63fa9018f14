/**
 * Progress, once for every long run: how often a display is told (`PROGRESS_INTERVAL_MS`, about four
 * times a second, enough for a notification and never a flood), and the speed, time left and increment
 * computed from the counts. Core code reports raw counts; whoever shows them meters them here.
 */

export const PROGRESS_INTERVAL_MS = 250;

export interface MeterOptions {
  /** Least time between two reports, in ms. Default `PROGRESS_INTERVAL_MS`. */
  intervalMs?: number;
  /** The speed is measured over this last stretch of time, in ms. Default 5000. */
  windowMs?: number;
  now?: () => number;
}

/** Lets a report through at most once per interval, or whenever forced (the last one). */
export class ProgressThrottle {
  private last = -Infinity;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(options: Pick<MeterOptions, 'intervalMs' | 'now'> = {}) {
    this.intervalMs = options.intervalMs ?? PROGRESS_INTERVAL_MS;
    this.now = options.now ?? (() => Date.now());
  }

  /** Whether to report now; when it says yes, the interval starts again. */
  due(force = false): boolean {
    const t = this.now();
    if (!force && t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }
}

/** Seconds left at `perSecond` for `left` more units; `undefined` while no speed is known. */
export function etaSeconds(left: number, perSecond: number): number | undefined {
  return perSecond > 0 ? Math.max(0, left) / perSecond : undefined;
}

/** What a meter adds to the counts. */
export interface Pace {
  /** Units per second over the last few seconds. */
  perSecond: number;
  /** Seconds left at that speed; `undefined` until a speed is known. */
  etaSeconds?: number;
  /** Fraction of the total since the previous report (0..1), for increment-based progress bars. */
  increment: number;
}

/**
 * Turns counts (`done` of `total` units: bytes, objects) into throttled reports with a moving-window
 * speed. Completion (`done >= total`) is always reported.
 */
export class ProgressMeter<P> {
  private samples: Array<{ t: number; done: number }> = [];
  private lastFraction = 0;
  private readonly throttle: ProgressThrottle;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(
    private readonly measure: (progress: P) => { done: number; total: number },
    private readonly emit: (progress: P, pace: Pace) => void,
    options: MeterOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now());
    this.windowMs = options.windowMs ?? 5000;
    this.throttle = new ProgressThrottle({ intervalMs: options.intervalMs, now: this.now });
  }

  /** Feed the latest counts; emits when the interval has passed, the run is complete, or `force`. */
  update(progress: P, force = false): void {
    const { done, total } = this.measure(progress);
    const t = this.now();
    this.samples.push({ t, done });
    // The oldest sample kept is the newest one at least a window old: parts finish in bursts a few ms
    // apart with nothing in between, and a baseline inside the burst would make the speed enormous and
    // the time left read "0s".
    while (this.samples.length > 2 && t - this.samples[1].t >= this.windowMs) this.samples.shift();
    const finished = total > 0 && done >= total;
    if (!this.throttle.due(force || finished)) return;
    const first = this.samples[0];
    const dt = (t - first.t) / 1000;
    const perSecond = dt > 0 ? Math.max(0, (done - first.done) / dt) : 0;
    const fraction = total > 0 ? done / total : 1;
    const increment = Math.max(0, fraction - this.lastFraction);
    this.lastFraction = Math.max(this.lastFraction, fraction);
    this.emit(progress, { perSecond, etaSeconds: etaSeconds(total - done, perSecond), increment });
  }
}
