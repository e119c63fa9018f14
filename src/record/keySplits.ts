import { compareKeys, prefixUpperBound } from './keyOrder';
import type { CrcRecord, Scope } from './record';

/**
 * Keys of the record that cut the objects below `prefix` (after `after`) into about `parts` equal ranges,
 * in key order: where a listing can be split to list the ranges at once (storage/rangedListing.ts). The
 * record only guides the cut; keys added or deleted since make ranges uneven, never wrong.
 */
export function splitKeys(
  record: CrcRecord,
  scope: Scope,
  prefix: string,
  after: string | undefined,
  parts: number,
  /** Parts of at most this many keys, and no more parts than that needs (a resumed run has fewer keys left). */
  keysPerPart?: number,
): string[] {
  if (parts <= 1) return [];
  const upper = prefix === '' ? '' : ' AND key < ?';
  const bound = prefix === '' ? [] : [prefixUpperBound(prefix)];
  let from = after !== undefined && compareKeys(after, prefix) > 0 ? after : prefix;
  const where = `WHERE scope = ? AND key > ?${upper}`;
  const id = record.scopeId(scope, false);
  const left = Number(record.row(`SELECT count(*) AS n FROM objects ${where}`, [id, from, ...bound])?.n ?? 0);
  if (keysPerPart !== undefined) parts = Math.min(parts, Math.ceil(left / keysPerPart));
  if (parts <= 1) return [];
  const step = Math.floor(left / parts);
  if (step < 1) return [];
  const sql = `SELECT key FROM objects ${where} ORDER BY key LIMIT 1 OFFSET ?`;
  const out: string[] = [];
  for (let i = 1; i < parts; i++) {
    const row = record.row(sql, [id, from, ...bound, step - 1]);
    if (!row) break;
    from = String(row.key);
    out.push(from);
  }
  return out;
}
