import * as l10n from '@vscode/l10n';
import type { promises as fs } from 'node:fs';
import { formatCrc64, parseCrc64 } from '../../crc';
import { StorageError } from '../../storage/errors';
import type { ObjectStore } from '../../storage/types';
import { runLimited } from '../../util/concurrency';
import { IntegrityError } from '../../util/errors';
import { PartBufferPool } from '../bufferPool';
import type { CheckpointPart, UploadCheckpoint } from '../checkpoint';
import { partRange, type PartPlan } from '../planner';
import { readFully, startHash } from './localFile';
import { DEFAULT_CONCURRENCY, type UploadOptions } from './types';
import { retryBudget } from '../retryBudget';

/** Everything the part lanes need: the open file, its plan, and the upload (with any parts taken over). */
export interface PartsJob {
  store: ObjectStore;
  options: UploadOptions;
  plan: PartPlan;
  size: number;
  handle: fs.FileHandle;
  checkpoint: UploadCheckpoint;
}

export interface PartsOutcome {
  /** Every part of the plan, in order, each sent (or proved) and checked. */
  parts: CheckpointPart[];
  retriedParts: number[];
  /** Parts taken over from the interrupted upload whose local bytes still hash to the checkpointed CRC. */
  resumedParts: number;
}

/** One lane task: send part `n`, or prove a part taken over from the interrupted upload. */
interface PartTask {
  partNumber: number;
  prove: boolean;
}

/**
 * The part lanes of one multipart upload: each part read once into a pooled buffer that feeds both our
 * CRC and the request body, `concurrency` parts in flight, every part's CRC checked (a mismatch is sent
 * again up to `partRetries` times). Parts taken over on resume are re-hashed in the same lanes, between
 * the sends, and a part whose bytes no longer match is sent again. The checkpoint is saved after each part.
 */
export async function uploadParts(job: PartsJob): Promise<PartsOutcome> {
  return new PartLanes(job).run();
}

class PartLanes {
  private readonly done: Map<number, CheckpointPart>;
  private readonly resumed: Set<number>;
  private readonly retried = new Set<number>();
  private readonly verify: boolean;
  private bytesDone = 0;
  // Checkpoint writes are chained so an older snapshot never lands after a newer one.
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly job: PartsJob) {
    const { plan, size, checkpoint } = job;
    this.verify = job.options.verify !== false;
    // Only parts that fit this plan exactly are taken over; anything else is sent again.
    const fits = (p: CheckpointPart): boolean =>
      p.partNumber >= 1 && p.partNumber <= plan.partCount && p.size === partRange(plan, size, p.partNumber).length;
    this.done = new Map(checkpoint.parts.filter(fits).map((p) => [p.partNumber, p]));
    this.resumed = new Set(this.done.keys());
    // Kept parts count as done once proved (so progress never goes back); unproved without verification.
    if (!this.verify) for (const p of this.done.values()) this.bytesDone += p.size;
  }

  async run(): Promise<PartsOutcome> {
    const { options, plan } = this.job;
    const tasks = this.schedule();
    if (this.resumed.size) options.log?.(`Resuming ${options.key}: ${this.resumed.size} of ${plan.partCount} parts already uploaded.`);
    this.progress();
    const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, tasks.length || 1));
    // Every part in flight holds one pooled buffer: memory is partSize × concurrency.
    const pool = options.buffers ?? new PartBufferPool(concurrency);
    try {
      await runLimited(tasks, concurrency, (task, signal) => this.runTask(task, pool, signal), { signal: options.signal });
    } finally {
      await this.saving.catch(() => undefined);
    }
    return {
      parts: [...this.done.values()].sort((a, b) => a.partNumber - b.partNumber),
      retriedParts: [...this.retried].sort((a, b) => a - b),
      resumedParts: this.resumed.size,
    };
  }

  /** Missing parts to send, with the kept ones to prove interleaved: proving runs while parts upload, not first. */
  private schedule(): PartTask[] {
    const sends: PartTask[] = [];
    const proofs: PartTask[] = [];
    for (let n = 1; n <= this.job.plan.partCount; n++) {
      if (!this.done.has(n)) sends.push({ partNumber: n, prove: false });
      // Without verification there is no CRC to prove a kept part against.
      else if (this.verify) proofs.push({ partNumber: n, prove: true });
    }
    const tasks: PartTask[] = [];
    for (let i = 0; i < Math.max(sends.length, proofs.length); i++) {
      if (i < sends.length) tasks.push(sends[i]);
      if (i < proofs.length) tasks.push(proofs[i]);
    }
    return tasks;
  }

  private async runTask(task: PartTask, pool: PartBufferPool, signal: AbortSignal): Promise<void> {
    const { plan, size, handle, options } = this.job;
    const range = partRange(plan, size, task.partNumber);
    const buffer = await pool.acquire(plan.partSize, signal);
    try {
      await readFully(handle, buffer, range.length, range.offset, options.localPath);
      const bytes = buffer.subarray(0, range.length);
      const hashing = this.verify ? startHash(options, bytes) : undefined;
      if (task.prove && (await this.proved(task.partNumber, hashing!))) return;
      await this.send(task.partNumber, bytes, hashing, signal);
    } finally {
      pool.release(buffer);
    }
    await this.save();
  }

  /** Whether a kept part's local bytes still hash to the CRC it was sent with; if not, it is forgotten. */
  private async proved(n: number, hashing: Promise<bigint>): Promise<boolean> {
    const kept = this.done.get(n)!;
    if (formatCrc64(await hashing) === kept.crc64) {
      this.bytesDone += kept.size;
      this.progress();
      return true;
    }
    this.job.options.log?.(`Part ${n} of ${this.job.options.key} changed on disk since it was sent; sending it again.`);
    this.done.delete(n);
    this.resumed.delete(n);
    return false;
  }

  private async send(n: number, bytes: Buffer, hashing: Promise<bigint> | undefined, signal: AbortSignal): Promise<void> {
    const { store, options, checkpoint } = this.job;
    const { bucket, key } = options;
    const retries = retryBudget('partResends', options.partRetries);
    for (let attempt = 0; ; attempt++) {
      const res = await store.uploadPart(bucket, key, checkpoint.uploadId, n, bytes, { signal });
      const local = hashing ? await hashing : undefined;
      if (!res.etag) throw new StorageError('malformed-response', l10n.t('The service returned no ETag for part {0} of {1}.', n, key));
      const remote = local !== undefined ? parseCrc64(res.crc64) : undefined;
      if (local !== undefined && remote !== undefined && remote !== local) {
        this.retried.add(n);
        const [ours, theirs] = [formatCrc64(local), formatCrc64(remote)];
        options.log?.(`Part ${n} of ${key}: CRC-64 mismatch (local ${ours}, service ${theirs}); sending again`);
        if (attempt < retries) continue;
        throw new IntegrityError(
          l10n.t(
            'Part {0} of {1} failed its CRC-64 check {2} times (local {3}, service {4}). The upload was not completed.',
            n,
            key,
            attempt + 1,
            ours,
            theirs,
          ),
          ours,
          theirs,
          n,
        );
      }
      const crc64 = local === undefined ? '' : formatCrc64(local);
      this.done.set(n, { partNumber: n, etag: res.etag, crc64, size: bytes.length, verified: remote !== undefined });
      break;
    }
    this.bytesDone += bytes.length;
    this.progress();
  }

  private progress(): void {
    this.job.options.onProgress?.({ bytesDone: this.bytesDone, bytesTotal: this.job.size });
  }

  private save(): Promise<void> {
    const { checkpoints } = this.job.options;
    if (!checkpoints) return this.saving;
    const parts = [...this.done.values()].sort((a, b) => a.partNumber - b.partNumber);
    const snapshot: UploadCheckpoint = { ...this.job.checkpoint, parts };
    this.saving = this.saving.then(() => checkpoints.save(snapshot));
    return this.saving;
  }
}
