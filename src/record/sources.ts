import { CrcRecord } from './record';
import type { ObjectUpdate, Scope } from './record';

/**
 * What transfers learn on the way — the CRC-64 and size of every object uploaded or downloaded and
 * verified — written into the record once a batch is done (one transaction, never per file), so a later
 * verify knows those objects without a HEAD. The record is a help, not part of the transfer: one that
 * cannot be opened or written (another window holds it) is logged and left alone.
 */

/** One transferred object as the record keeps it. */
export interface TransferredObject {
  key: string;
  size: number;
  /** The service's CRC-64 of the stored object (unsigned decimal). */
  crc64: string;
  etag?: string;
}

/** Records `objects` of one bucket in the record file at `file`; returns how many, 0 when it could not. */
export async function recordTransferred(
  file: string,
  scope: Scope,
  source: 'upload' | 'download' | 'head',
  objects: readonly TransferredObject[],
  log: (line: string) => void,
): Promise<number> {
  if (objects.length === 0) return 0;
  let record: CrcRecord | undefined;
  try {
    // A short wait: a transfer does not stand still for a record another window holds.
    record = await CrcRecord.open(file, { busyTimeoutMs: 250 });
    record.upsertMany(scope, objects.map((o): ObjectUpdate => ({ ...o, source })));
    return objects.length;
  } catch (err) {
    log(`The CRC record was not updated (${(err as Error).message}); the transfer is not affected.`);
    return 0;
  } finally {
    record?.close();
  }
}

/** What a transfer result says of the stored object. */
interface TransferResult {
  key: string;
  size: number;
  verified: boolean;
  remoteCrc64?: string;
}

/** The verified files of a batch's outcomes, as the record keeps them. */
export function verifiedObjects(outcomes: readonly ({ ok: true; result: TransferResult } | { ok: false })[]): TransferredObject[] {
  return outcomes.flatMap((o) => (o.ok && o.result.verified && o.result.remoteCrc64 ? [{ key: o.result.key, size: o.result.size, crc64: o.result.remoteCrc64 }] : []));
}
