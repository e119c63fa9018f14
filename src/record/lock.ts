import { readFileSync, rmSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who holds the record. SQLite's Node file system layer locks a database by creating the folder
 * `<file>.lock` and removing it when the lock is released; the record keeps that lock for as long as it
 * is open (exclusive locking mode). A process that dies keeps the folder forever, so next to it the
 * holder writes `<file>.owner` (pid and host): a lock whose owner is gone from this machine is stale and
 * may be broken, a lock held by a living process is "in use by another window".
 */

interface Owner {
  pid: number;
  host: string;
  since: number;
}

export function lockDir(file: string): string {
  return `${file}.lock`;
}

function ownerFile(file: string): string {
  return `${file}.owner`;
}

export function writeOwner(file: string): void {
  const owner: Owner = { pid: process.pid, host: hostname(), since: Date.now() };
  writeFileSync(ownerFile(file), JSON.stringify(owner));
}

export function removeOwner(file: string): void {
  try {
    unlinkSync(ownerFile(file));
  } catch {
    // Already gone: nothing to release.
  }
}

function readOwner(file: string): Owner | undefined {
  try {
    const o = JSON.parse(readFileSync(ownerFile(file), 'utf8')) as Owner;
    return typeof o.pid === 'number' && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder's pid when the lock is held by a living process, or `undefined`. */
export function lockHolder(file: string): number | undefined {
  return readOwner(file)?.pid;
}

/**
 * Breaks the lock when its holder is certainly gone: a dead process on this host, or no owner at all on
 * a lock older than `graceMs` (a holder writes its owner right after locking). True when broken.
 */
export function breakStaleLock(file: string, graceMs: number): boolean {
  const dir = lockDir(file);
  let age: number;
  try {
    age = Date.now() - statSync(dir).mtimeMs;
  } catch {
    return false;
  }
  const owner = readOwner(file);
  const stale = owner ? owner.host === hostname() && !isAlive(owner.pid) : age > graceMs;
  if (!stale) return false;
  try {
    rmdirSync(dir);
  } catch {
    rmSync(dir, { recursive: true, force: true });
  }
  removeOwner(file);
  return true;
}
