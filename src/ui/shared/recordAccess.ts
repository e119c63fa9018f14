import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import type { CrcRecord, OpenOptions } from '../../record/record';
import { RecordError } from '../../record/errors';

/**
 * The extension's one CRC record file (in its global storage), opened on first use — never at activation —
 * and closed again once nobody has used it for a while, so another window can take it (the record is held
 * by one process at a time). Editor-free, so the open / idle-close rules are unit-tested.
 */
export class RecordAccess {
  private opening: Promise<CrcRecord> | undefined;
  /** The record once `opening` resolved. */
  private current: CrcRecord | undefined;
  private users = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    /** Path of the record file. */
    readonly file: string,
    /** Close after this long without a user (default 30 s). */
    private readonly idleMs = 30_000,
    private readonly open: (file: string) => Promise<CrcRecord> = defaultOpen,
  ) {}

  /** Whether the file exists (a tree only reads a record that something already created). */
  exists(): boolean {
    return existsSync(this.file);
  }

  /** Whether the record is open in this window now. */
  get isOpen(): boolean {
    return this.opening !== undefined;
  }

  /**
   * Runs `work` with the open record (opening it if needed). Rejects with the `RecordError` of a record in
   * use by another window or written by a newer version; the file is left untouched then.
   */
  async use<T>(work: (record: CrcRecord) => Promise<T> | T): Promise<T> {
    if (this.disposed) throw new Error(l10n.t('Bucket Integrity is shutting down.'));
    this.users++;
    this.cancelIdle();
    try {
      const record = await this.recordOrOpen();
      return await work(record);
    } finally {
      this.users--;
      if (this.users === 0) this.scheduleIdle();
    }
  }

  /** Closes the record now (deactivate). Safe to call twice. */
  dispose(): void {
    this.disposed = true;
    this.cancelIdle();
    this.close();
  }

  private recordOrOpen(): Promise<CrcRecord> {
    if (!this.opening) {
      const opening = this.open(this.file);
      this.opening = opening;
      opening.then(
        (record) => (this.current = this.opening === opening ? record : this.current),
        () => undefined,
      );
      // A failed open is not remembered: the next use tries again (the other window may be gone).
      opening.catch(() => {
        if (this.opening === opening) this.opening = undefined;
      });
    }
    return this.opening;
  }

  private scheduleIdle(): void {
    if (this.disposed || !this.opening) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.users === 0) this.close();
    }, this.idleMs);
    this.idleTimer.unref?.();
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private close(): void {
    const opening = this.opening;
    const current = this.current;
    this.opening = undefined;
    this.current = undefined;
    // Open: released now (deactivate must not leave the lock behind); still opening: once it is open.
    if (current) current.close();
    else
      void opening?.then(
        (record) => record.close(),
        () => undefined,
      );
  }
}

function defaultOpen(file: string): Promise<CrcRecord> {
  return openRecordLazily(file);
}

/** Opens the record, loading its module (and its WebAssembly SQLite) only when a command first needs it. */
export function openRecordLazily(file: string, options?: OpenOptions): Promise<CrcRecord> {
  const { CrcRecord: Record } = require('../../record/record') as typeof import('../../record/record');
  return Record.open(file, options);
}

/** The sentence a user sees for a record that cannot be opened, with what to do about it. */
export function recordProblem(err: unknown): string | undefined {
  if (!(err instanceof RecordError)) return undefined;
  return err.hint ? `${err.message} ${err.hint}` : err.message;
}
