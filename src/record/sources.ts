import { CrcRecord } from './record';
import type { ObjectUpdate, Scope } from './record';
import type { TransferredObject } from './transferred';

/**
 * What transfers learn on the way — the CRC-64 and size of every object uploaded or downloaded and
 * verified — written into the record once a batch is done (one transaction, never per file), so a later
 * verify knows those objects without a HEAD. The record is a help, not part of the transfer: one that
 * cannot be opened or written (another window holds it) is logged and left alone.
 */

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
    record.objects.upsertMany(
      scope,
      objects.map((o): ObjectUpdate => ({ ...o, source })),
    );
    return objects.length;
  } catch (err) {
    log(`The CRC record was not updated (${(err as Error).message}); the transfer is not affected.`);
    return 0;
  } finally {
    record?.close();
  }
}
