/**
 * Keys sort in UTF-8 byte order, as the services list them. JavaScript compares UTF-16 code units, which
 * agrees with code-point (= UTF-8 byte) order except where a surrogate (U+D800–DFFF) meets a unit at or
 * above U+E000: surrogates stand for code points above U+FFFF, so they are moved above the rest.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** First index in the sorted `keys` whose key is greater than `after` (binary search). */
export function firstAfter(keys: readonly string[], after: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(keys[mid], after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in the sorted `keys` whose key is not less than `from`. */
export function firstAtLeast(keys: readonly string[], from: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareUtf8(keys[mid], from) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
