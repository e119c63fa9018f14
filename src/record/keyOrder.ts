/**
 * Keys in the order the services list them and SQLite sorts TEXT: UTF-8 byte order. JavaScript compares
 * UTF-16 code units, which agrees except where a surrogate pair (U+10000 and up) meets U+E000–U+FFFF;
 * mapping those two ranges around each other gives byte order without encoding anything.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

function utf8Rank(unit: number): number {
  if (unit < 0xd800) return unit;
  // Surrogates stand for code points above U+FFFF, whose UTF-8 bytes sort after U+E000–U+FFFF.
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** A string greater than every key that starts with `prefix` (for `key < bound` range scans). */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

/** ETags as the services quote them or not: one comparable form. */
export function normalizeEtag(etag: string | undefined | null): string | null {
  if (etag === undefined || etag === null || etag === '') return null;
  // Runs for every row of an inventory: plain string checks, no regular expressions.
  let start = etag.startsWith('W/') ? 2 : 0;
  let end = etag.length;
  if (etag.charCodeAt(start) === 34) start++;
  if (end > start && etag.charCodeAt(end - 1) === 34) end--;
  return etag.slice(start, end).toLowerCase();
}
