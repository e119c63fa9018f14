import * as l10n from '@vscode/l10n';
import { Worker } from 'node:worker_threads';
import type { KernelName } from './kernel';
import type { Job, Task } from './poolJobs';
import type { ItemResult, TaskMessage, WorkerInit, WorkerMessage } from './protocol';

/**
 * The hash pool's workers and its queue: starts `worker_threads` on demand up to the pool size,
 * hands queued tasks to idle ones, keeps idle workers unref'd (an idle pool never keeps a process
 * alive), and replaces a worker that dies.
 */

export interface WorkerSetOptions {
  size: number;
  readSize: number;
  workerPath: string;
  kernel?: KernelName;
  /** A task's results arrived. */
  onResults(task: Task, results: ItemResult[]): void;
  /** A worker could not even start: every task would fail the same way. */
  onStartFailure(err: Error): void;
}

interface Slot {
  worker: Worker;
  control: Int32Array;
  task?: Task;
  ready: boolean;
}

export class WorkerSet {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private terminated = false;

  constructor(private readonly options: WorkerSetOptions) {}

  /** Queues `tasks` and starts as many as there are idle workers. */
  push(tasks: readonly Task[]): void {
    this.queue.push(...tasks);
    this.pump();
  }

  /** Tells the workers running tasks of `job` to stop; its queued tasks are dropped when reached. */
  stop(job: Job): void {
    for (const slot of this.slots) {
      if (slot.task?.job === job) Atomics.store(slot.control, 0, slot.task.id);
    }
  }

  clearQueue(): void {
    this.queue.length = 0;
  }

  /** Ends every worker; the set is not used again. */
  terminate(): void {
    this.terminated = true;
    this.queue.length = 0;
    for (const slot of this.slots) void slot.worker.terminate();
    this.slots.length = 0;
  }

  /** Hands queued tasks to idle workers, starting workers up to the pool size. */
  private pump(): void {
    while (this.queue.length > 0) {
      if (this.queue[0].job.finished) {
        this.queue.shift();
        continue;
      }
      const idle = this.slots.find((s) => s.ready && !s.task);
      if (idle) {
        const task = this.queue.shift()!;
        idle.task = task;
        idle.worker.ref();
        const message: TaskMessage = { id: task.id, items: task.items };
        idle.worker.postMessage(message);
        continue;
      }
      const starting = this.slots.filter((s) => !s.ready).length;
      if (this.slots.length < this.options.size && starting < this.queue.length) {
        this.spawn();
        continue;
      }
      return;
    }
  }

  private spawn(): Slot {
    const { readSize, kernel, workerPath } = this.options;
    const control = new SharedArrayBuffer(4);
    const workerData: WorkerInit = { readSize, control, ...(kernel ? { kernel } : {}) };
    const worker = new Worker(workerPath, { workerData });
    const slot: Slot = { worker, control: new Int32Array(control), ready: false };
    this.slots.push(slot);
    worker.on('message', (msg: WorkerMessage) => this.onMessage(slot, msg));
    worker.on('error', (err) => this.onWorkerLost(slot, err));
    worker.on('exit', (code) => {
      if (!this.terminated) this.onWorkerLost(slot, new Error(l10n.t('A CRC-64 worker exited unexpectedly (code {0})', String(code))));
    });
    return slot;
  }

  private onMessage(slot: Slot, msg: WorkerMessage): void {
    switch (msg.type) {
      case 'ready':
        slot.ready = true;
        slot.worker.unref();
        this.pump();
        return;
      case 'progress': {
        const job = slot.task?.id === msg.id ? slot.task.job : undefined;
        if (job && !job.finished) {
          job.done += msg.bytes;
          job.onProgress?.(Math.min(job.done, job.total), job.total);
        }
        return;
      }
      case 'cancelled':
      case 'done': {
        const task = slot.task;
        slot.task = undefined;
        slot.worker.unref();
        if (task && task.id === msg.id && msg.type === 'done') this.options.onResults(task, msg.results);
        this.pump();
        return;
      }
    }
  }

  /** A worker died (crash, or killed): its task's files fail, and a fresh worker replaces it on demand. */
  private onWorkerLost(slot: Slot, err: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    void slot.worker.terminate();
    const task = slot.task;
    slot.task = undefined;
    if (task)
      this.options.onResults(
        task,
        task.items.map(() => ({ error: { name: err.name, message: err.message } })),
      );
    if (!slot.ready) {
      this.queue.length = 0;
      this.options.onStartFailure(err);
      return;
    }
    this.pump();
  }
}
