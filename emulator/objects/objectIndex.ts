import { compareUtf8, firstAfter, firstAtLeast } from './keyOrder';

/**
 * A set of keys whose objects are not stored one by one (a seeded range): it answers lookups and lists
 * its live keys in order. A key removed from it (deleted, or replaced by a stored object) stays gone.
 */
export interface VirtualRange<T> {
  /** Live keys in the range. */
  readonly size: number;
  get(key: string): T | undefined;
  /** Drop a key; true if it was live. */
  remove(key: string): boolean;
  /** Live keys in UTF-8 order that start with `prefix` and sort after `after`. */
  keysFrom(prefix: string, after: string): Iterator<string>;
  /** The same keys with their objects (a listing page), without looking each key up again. */
  entriesFrom(prefix: string, after: string): Iterator<[string, T]>;
}

/**
 * A bucket's objects: a map for the stored ones plus a sorted key array, so a listing page starts with a
 * binary search instead of sorting every key of the bucket, and virtual ranges (seeded objects) merged in
 * key order. The Map-like methods (`get`, `has`, `set`, `delete`, `size`, `keys`, `values`) keep the callers
 * that treated the objects as a Map working.
 */
export class ObjectIndex<T extends { key: string }> {
  private readonly stored = new Map<string, T>();
  private readonly sorted: string[] = [];
  private readonly virtual: VirtualRange<T>[] = [];

  get size(): number {
    let n = this.stored.size;
    for (const r of this.virtual) n += r.size;
    return n;
  }

  get(key: string): T | undefined {
    const m = this.stored.get(key);
    if (m !== undefined) return m;
    for (const r of this.virtual) {
      const v = r.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Store an object; a virtual object with the same key is replaced by it. */
  set(key: string, value: T): this {
    if (!this.stored.has(key)) this.sorted.splice(firstAfter(this.sorted, key), 0, key);
    for (const r of this.virtual) r.remove(key);
    this.stored.set(key, value);
    return this;
  }

  delete(key: string): boolean {
    let found = false;
    if (this.stored.delete(key)) {
      this.sorted.splice(firstAtLeast(this.sorted, key), 1);
      found = true;
    }
    for (const r of this.virtual) found = r.remove(key) || found;
    return found;
  }

  /**
   * Add a virtual range. Stored objects whose keys it covers are dropped from the index (the range replaces
   * them), or with `keepStored` they stay and the range gives those keys up (loading a data folder).
   */
  addRange(range: VirtualRange<T>, covers: (key: string) => boolean, keepStored = false): void {
    for (const key of [...this.stored.keys()]) {
      if (!covers(key)) continue;
      if (keepStored) range.remove(key);
      else this.delete(key);
    }
    this.virtual.push(range);
  }

  removeRange(range: VirtualRange<T>): void {
    const i = this.virtual.indexOf(range);
    if (i >= 0) this.virtual.splice(i, 1);
  }

  ranges(): readonly VirtualRange<T>[] {
    return this.virtual;
  }

  /** Keys in UTF-8 order that start with `prefix` and sort after `after` (a listing marker). */
  keysFrom(prefix = '', after = ''): Generator<string> {
    return inKeyOrder([this.storedFrom(prefix, after), ...this.virtual.map((r) => r.keysFrom(prefix, after))], (k) => k);
  }

  /** `keysFrom` with each key's object: a listing reads a thousand a page. */
  entriesFrom(prefix = '', after = ''): Generator<[string, T]> {
    const stored = this.storedEntriesFrom(prefix, after);
    return inKeyOrder([stored, ...this.virtual.map((r) => r.entriesFrom(prefix, after))], (e) => e[0]);
  }

  keys(): Generator<string> {
    return this.keysFrom();
  }

  *values(): Generator<T> {
    for (const k of this.keysFrom()) yield this.get(k)!;
  }

  *entries(): Generator<[string, T]> {
    for (const k of this.keysFrom()) yield [k, this.get(k)!];
  }

  [Symbol.iterator](): Generator<[string, T]> {
    return this.entries();
  }

  private *storedEntriesFrom(prefix: string, after: string): Generator<[string, T]> {
    for (const k of this.storedFrom(prefix, after)) yield [k, this.stored.get(k)!];
  }

  private *storedFrom(prefix: string, after: string): Generator<string> {
    let i = compareUtf8(after, prefix) >= 0 ? firstAfter(this.sorted, after) : firstAtLeast(this.sorted, prefix);
    let last: string | undefined;
    for (;;) {
      // Objects may be stored or deleted while a long listing (an inventory run) is paused between keys.
      if (last !== undefined && this.sorted[i - 1] !== last) i = firstAfter(this.sorted, last);
      if (i >= this.sorted.length) return;
      const k = this.sorted[i];
      if (!k.startsWith(prefix)) return;
      yield k;
      last = k;
      i++;
    }
  }
}

/** Several sources, each in key order, merged into one. */
function* inKeyOrder<T>(sources: Iterator<T>[], keyOf: (item: T) => string): Generator<T> {
  if (sources.length === 1) {
    // One source (most buckets): nothing to merge.
    for (let step = sources[0].next(); !step.done; step = sources[0].next()) yield step.value;
    return;
  }
  const heads = sources.map((s) => s.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h.done) continue;
      if (best < 0 || compareUtf8(keyOf(h.value), keyOf(heads[best].value as T)) < 0) best = i;
    }
    if (best < 0) return;
    yield heads[best].value as T;
    heads[best] = sources[best].next();
  }
}
