import { runLimited } from '../../util/concurrency';
import { isCancelled } from '../../util/errors';
import type { TransferProgress } from '../upload';
import type { BatchOutcome, BatchProgress, BatchReport, CountedResult } from './types';

/** One file the batch will transfer, planned before anything is sent. */
export interface PlannedFile<T> {
  item: number;
  key: string;
  path?: string;
  /** Bytes, when known before the transfer starts (a walked file, a listed object). */
  size?: number;
  /** Transfers the file; a rejection is this file's failure (cancellation stops the batch). */
  run(signal: AbortSignal, onProgress: (progress: TransferProgress) => void): Promise<T>;
}

export interface RunBatchOptions<T> {
  /** Files in flight at once. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (progress: BatchProgress) => void;
  /** Called as each file finishes (or fails), for logs and badges. */
  onFile?: (outcome: BatchOutcome<T>) => void;
  /**
   * A file's error that would fail every other file too (`isFatalForRun`): the batch stops at the first
   * one instead of failing each file alike, and reports it as `stoppedBy`.
   */
  stopOn?: (err: unknown) => boolean;
}

/**
 * Runs planned files a few at a time with summed progress and collects one report. Cancelling returns
 * the report of what finished (`cancelled: true`) instead of throwing, so a caller can still record it.
 */
export async function runBatch<T extends CountedResult>(
  planned: readonly PlannedFile<T>[],
  notes: string[],
  options: RunBatchOptions<T>,
): Promise<BatchReport<T>> {
  // Running sums, so a progress update costs the same for a batch of ten files or of a million.
  const totals = planned.map((f) => f.size);
  const done = planned.map(() => 0);
  let bytesTotal = totals.reduce<number>((a, b) => a + (b ?? 0), 0);
  let bytesDone = 0;
  let filesDone = 0;
  const set = (index: number, bytes: number): void => {
    bytesDone += bytes - done[index];
    done[index] = bytes;
  };
  const emit = (): void => {
    options.onProgress?.({ bytesDone, bytesTotal: Math.max(bytesTotal, bytesDone), filesDone, filesTotal: planned.length });
  };
  const finished: Array<BatchOutcome<T> | undefined> = planned.map(() => undefined);
  const indexed = planned.map((file, index) => ({ file, index }));
  let cancelled = false;
  let stoppedBy: Error | undefined;
  try {
    await runLimited(
      indexed,
      options.concurrency,
      async ({ file, index }, signal) => {
        let outcome: BatchOutcome<T>;
        try {
          const result = await file.run(signal, (p) => {
            if (totals[index] === undefined) {
              totals[index] = p.bytesTotal;
              bytesTotal += p.bytesTotal;
            }
            set(index, p.bytesDone);
            emit();
          });
          outcome = { ok: true, result, item: file.item };
        } catch (err) {
          if (isCancelled(err) || signal.aborted) throw err;
          if (options.stopOn?.(err)) {
            stoppedBy ??= err as Error;
            throw err;
          }
          outcome = { ok: false, key: file.key, path: file.path, error: err as Error, item: file.item };
        }
        // A finished file counts whole, even one skipped or failed, so the bar reaches its end.
        set(index, totals[index] ?? done[index]);
        filesDone++;
        emit();
        finished[index] = outcome;
        options.onFile?.(outcome);
      },
      { signal: options.signal },
    );
  } catch (err) {
    if (isCancelled(err)) cancelled = true;
    else if (err !== stoppedBy) throw err;
  }
  const outcomes = finished.filter((o): o is BatchOutcome<T> => o !== undefined);
  return { ...count(outcomes), outcomes, notes, cancelled, filesTotal: planned.length, bytesTotal, ...(stoppedBy ? { stoppedBy } : {}) };
}

/** Cancelled while planning (walking, listing): nothing ran. */
export function cancelledReport<T>(notes: string[]): BatchReport<T> {
  return {
    outcomes: [],
    notes,
    cancelled: true,
    filesTotal: 0,
    bytesTotal: 0,
    verified: 0,
    unverified: 0,
    failed: 0,
    skipped: 0,
    bytes: 0,
  };
}

function count<T extends CountedResult>(outcomes: readonly BatchOutcome<T>[]) {
  const c = { verified: 0, unverified: 0, failed: 0, skipped: 0, bytes: 0 };
  for (const o of outcomes) {
    if (!o.ok) c.failed++;
    else if (o.result.outcome === 'skipped') c.skipped++;
    else {
      c.bytes += o.result.size;
      if (o.result.verified) c.verified++;
      else c.unverified++;
    }
  }
  return c;
}
