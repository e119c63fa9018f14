import { ProgressMeter, type MeterOptions } from '../../util/progress';

/**
 * How a check (Compare, Verify) reports its progress: numbers only, never sentences — the editor and
 * the CLI say them in their own words.
 */
export interface CheckProgress {
  /**
   * `list`: listing both sides; `head`: asking the service for CRC-64s; `hash`: hashing local files;
   * `check`: pairs judged.
   */
  phase: 'list' | 'head' | 'hash' | 'check';
  /** Objects (files while hashing) done so far. */
  done: number;
  /** Expected, when known; never less than `done`. */
  total?: number;
  bytesDone?: number;
  bytesTotal?: number;
  objectsPerSecond?: number;
  etaSeconds?: number;
  /** HEAD requests made so far. */
  heads?: number;
}

/** Progress of the `check` phase, with its speed: what Verify's notification and the CLI show. */
export type CheckedProgress = CheckProgress & { phase: 'check'; objectsPerSecond: number; heads: number };

/**
 * The counts of one check run, told to `onProgress` as `CheckProgress` events: HEADs and hashing as they
 * happen, judged pairs through a `ProgressMeter` (throttled, with objects/s and the time left). One meter
 * spans a whole run, so a check in pages (Verify) has one speed and one ETA.
 */
export class CheckMeter {
  private done: number;
  private heads = 0;
  private readonly meter: ProgressMeter<CheckedProgress>;

  constructor(
    private readonly onProgress: ((progress: CheckProgress) => void) | undefined,
    /** Pairs expected in all (`undefined`: unknown), and how many an earlier, stopped run judged already. */
    private readonly expected: { total?: number; done?: number; heads?: number } = {},
    options: MeterOptions = {},
  ) {
    this.done = expected.done ?? 0;
    this.heads = expected.heads ?? 0;
    this.meter = new ProgressMeter<CheckedProgress>(
      (p) => ({ done: p.done, total: p.total ?? 0 }),
      (p, pace) => {
        const left = p.total === undefined ? 0 : p.total - p.done;
        this.onProgress?.({
          ...p,
          objectsPerSecond: Math.round(pace.perSecond),
          ...(left > 0 && pace.etaSeconds !== undefined ? { etaSeconds: Math.ceil(pace.etaSeconds) } : {}),
        });
      },
      options,
    );
  }

  /** HEAD requests made so far. */
  get requests(): number {
    return this.heads;
  }

  listing(): void {
    this.onProgress?.({ phase: 'list', done: 0 });
  }

  /** One more HEAD of `total` in this batch. */
  headed(done: number, total: number): void {
    this.heads++;
    this.onProgress?.({ phase: 'head', done, total, heads: this.heads });
  }

  hashing(files: number, bytesDone: number, bytesTotal: number): void {
    this.onProgress?.({ phase: 'hash', done: 0, total: files, bytesDone, bytesTotal });
  }

  /** `n` more pairs judged; `force` reports even inside the throttle interval (the last report). */
  judged(n: number, force = false): void {
    this.done += n;
    if (!this.onProgress) return;
    const total = this.expected.total;
    // The estimate can fall short (files only on the local side): no total once it is passed.
    const known = total !== undefined && total > 0 && total >= this.done;
    this.meter.update({ phase: 'check', done: this.done, ...(known ? { total } : {}), objectsPerSecond: 0, heads: this.heads }, force);
  }
}
