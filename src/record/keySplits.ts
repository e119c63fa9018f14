import { compareKeys, prefixUpperBound } from './keyOrder';
import type { CrcRecord, Scope } from './record';

/** Cut keys found between two yields to the event loop: about 40 ms of SQLite at 2,000 keys a part. */
const SPLITS_PER_TURN = 100;

/**
 * Keys of the record that cut the objects below `prefix` (after `after`) into about `parts` equal ranges,
 * in key order: where a listing can be split to list the ranges at once (storage/rangedListing.ts). The
 * record only guides the cut; keys added or deleted since make ranges uneven, never wrong. Each cut steps
 * over a part's keys in the index, so 10 million keys take a second or two: the event loop gets a turn
 * between every SPLITS_PER_TURN cuts (the editor's other work, a cancel).
 */
export async function splitKeys(
  record: CrcRecord,
  scope: Scope,
  prefix: string,
  after: string | undefined,
  parts: number,
  /** Parts of at most this many keys, and no more parts than that needs (a resumed run has fewer keys left). */
  keysPerPart?: number,
): Promise<string[]> {
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
    if (i % SPLITS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    const row = record.row(sql, [id, from, ...bound, step - 1]);
    if (!row) break;
    from = String(row.key);
    out.push(from);
  }
  return out;
}
