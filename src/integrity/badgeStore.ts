import type { Verdict } from './verdict';

/**
 * The one store of comparison results. Decoration providers (tree and Explorer) read from it; commands
 * (compare, upload, remote CRC) write to it. Keys are URI strings (`file:///w/a.txt`,
 * `bucket-integrity:/profile/bucket/key`); a '/' in a key separates levels, so every ancestor of a key is
 * a "folder" whose badge rolls up the worst status found below it.
 *
 * Listeners are told only about the keys whose own result or roll-up actually changed, so an editor
 * repaints what changed and nothing else.
 */

/** The verdict a badge shows (an error is no verdict: it leaves the badge as it was). */
export type BadgeStatus = Exclude<Verdict, 'error'>;

export const BADGE_STATUSES: readonly BadgeStatus[] = ['match', 'differ', 'only-local', 'only-remote', 'no-crc'];

/**
 * Roll-up priority, worst first: one difference inside a folder must show on the folder even if
 * everything else matches; a missing side is next, then "cannot be checked"; a folder is "match" only if
 * all below match.
 */
const ROLLUP_ORDER: readonly BadgeStatus[] = ['differ', 'only-local', 'only-remote', 'no-crc', 'match'];

export interface BadgeEntry {
  status: BadgeStatus;
  /** Local CRC-64 (unsigned decimal), when the local side was hashed. */
  localCrc64?: string;
  /** Remote CRC-64 (unsigned decimal), from the service or computed by downloading. */
  remoteCrc64?: string;
  /**
   * Where the remote CRC came from: the service's header, a download hashed by this extension, or the
   * CRC record (an inventory or an earlier check, for an object whose ETag, size and LastModified are unchanged).
   */
  remoteCrcSource?: 'service' | 'download' | 'record';
  /** Short human detail, e.g. "sizes differ (10 vs 12 bytes)". */
  detail?: string;
  /** Epoch milliseconds of the check. */
  checkedAt?: number;
  /**
   * Only the object was looked at (Verify against the CRC record, the record's badge of a listed object,
   * a HEAD on hover): such a result never replaces one that compared the object with its local file.
   */
  remoteOnly?: boolean;
}

export type StatusCounts = Record<BadgeStatus, number>;

export interface BadgeChangeListener {
  (keys: readonly string[]): void;
}

function emptyCounts(): StatusCounts {
  return { match: 0, differ: 0, 'only-local': 0, 'only-remote': 0, 'no-crc': 0 };
}

/** Strip one trailing '/', so `…/dir/` and `…/dir` name the same folder. */
export function normalizeBadgeKey(key: string): string {
  return key.length > 1 && key.endsWith('/') && !key.endsWith('//') ? key.slice(0, -1) : key;
}

/**
 * The folder key one level up, or undefined at the root. Stops before the scheme/authority part, so
 * `file:///a` and `bucket-integrity:/p` have no parent.
 */
export function parentBadgeKey(key: string): string | undefined {
  const at = key.lastIndexOf('/');
  if (at <= 0) return undefined;
  const parent = key.slice(0, at);
  if (parent.endsWith('/') || parent.endsWith(':')) return undefined;
  return parent;
}

/** Worst status among the counts, or undefined when there is nothing below. */
export function rollupOf(counts: StatusCounts | undefined): BadgeStatus | undefined {
  if (!counts) return undefined;
  for (const status of ROLLUP_ORDER) if (counts[status] > 0) return status;
  return undefined;
}

export class BadgeStore {
  private readonly entries = new Map<string, BadgeEntry>();
  /** For every folder key: how many entries of each status lie anywhere below it. */
  private readonly below = new Map<string, StatusCounts>();
  private readonly listeners = new Set<BadgeChangeListener>();

  /** The result recorded for exactly this key. */
  get(key: string): BadgeEntry | undefined {
    return this.entries.get(normalizeBadgeKey(key));
  }

  /** The status to show for a key: its own result, else the worst status below it. */
  status(key: string): BadgeStatus | undefined {
    const k = normalizeBadgeKey(key);
    return this.entries.get(k)?.status ?? rollupOf(this.below.get(k));
  }

  /** Counts of each status below a folder key (all zero when nothing was compared there). */
  countsBelow(key: string): StatusCounts {
    return { ...(this.below.get(normalizeBadgeKey(key)) ?? emptyCounts()) };
  }

  /** Number of keys with a result. */
  get size(): number {
    return this.entries.size;
  }

  set(key: string, entry: BadgeEntry): void {
    this.apply([[key, entry]]);
  }

  /** Record many results with a single change notification. */
  setMany(results: Iterable<readonly [string, BadgeEntry]>): void {
    this.apply(results);
  }

  delete(key: string): void {
    this.apply([[key, undefined]]);
  }

  /** Forget a key and everything below it (e.g. a profile was removed, a folder re-listed). */
  deleteUnder(key: string): void {
    const k = normalizeBadgeKey(key);
    const doomed: Array<[string, undefined]> = [];
    for (const existing of this.entries.keys()) {
      if (existing === k || existing.startsWith(k + '/')) doomed.push([existing, undefined]);
    }
    this.apply(doomed);
  }

  clear(): void {
    this.apply([...this.entries.keys()].map((k) => [k, undefined] as [string, undefined]));
  }

  /** Subscribe to changes; the listener receives the keys whose shown status or entry changed. */
  onDidChange(listener: BadgeChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Sets (an entry) and deletes (`undefined`) many keys with a single change notification. */
  apply(updates: Iterable<readonly [string, BadgeEntry | undefined]>): void {
    const changed = new Set<string>();
    for (const [rawKey, entry] of updates) {
      const key = normalizeBadgeKey(rawKey);
      const previous = this.entries.get(key);
      if (sameEntry(previous, entry)) continue;
      // A local-vs-remote result is never replaced by a remote-only one (deleting it stays possible).
      if (entry?.remoteOnly && previous && !previous.remoteOnly) continue;
      if (entry) this.entries.set(key, { ...entry });
      else this.entries.delete(key);
      changed.add(key);
      if (previous?.status === entry?.status) continue;
      // Walk up once, adjusting counts; an ancestor is reported only if its roll-up changed.
      for (let parent = parentBadgeKey(key); parent !== undefined; parent = parentBadgeKey(parent)) {
        const counts = this.below.get(parent) ?? emptyCounts();
        const before = this.entries.get(parent)?.status ?? rollupOf(counts);
        if (previous) counts[previous.status]--;
        if (entry) counts[entry.status]++;
        if (BADGE_STATUSES.every((s) => counts[s] === 0)) this.below.delete(parent);
        else this.below.set(parent, counts);
        const after = this.entries.get(parent)?.status ?? rollupOf(counts);
        if (before !== after) changed.add(parent);
      }
    }
    if (changed.size === 0) return;
    const keys = [...changed];
    for (const listener of [...this.listeners]) listener(keys);
  }
}

function sameEntry(a: BadgeEntry | undefined, b: BadgeEntry | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.status === b.status &&
    a.localCrc64 === b.localCrc64 &&
    a.remoteCrc64 === b.remoteCrc64 &&
    a.remoteCrcSource === b.remoteCrcSource &&
    a.detail === b.detail &&
    !!a.remoteOnly === !!b.remoteOnly
  );
}
