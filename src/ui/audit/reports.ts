import { findReport, type StreamedReport } from '../../integrity/audit';
import { reportLocation, type InventoryChoice } from '../../inventory/choice';
import { readInventoryChoice } from '../shared/noRecordQuestion';
import type { ObjectStore } from '../../storage/types';
import type { Logger } from '../logger';
import type { AuditPlace } from './auditFeature';

/** What a side's bucket offers the compare: its inventory choice, and the newest report when there is one. */
export interface SideInventory {
  /** Undefined: the configuration could not be read. */
  choice: InventoryChoice | undefined;
  report?: StreamedReport;
}

/**
 * The newest report of the side's CRC inventory (one with Crc64 that covers the prefix, as Verify chooses
 * it), read as it streams by Compare with Bucket… so no object the report vouches for is HEADed, and nothing
 * has to be imported first. No report when the bucket has none, it has written none yet, or the
 * configuration cannot be read: the side is then known from the CRC record.
 */
export async function sideInventory(
  store: ObjectStore,
  place: AuditPlace,
  label: string,
  log: Logger,
  signal?: AbortSignal,
): Promise<SideInventory> {
  const choice = await readInventoryChoice(store, place.bucket, place.prefix, {
    ...(signal ? { signal } : {}),
    onUnreadable: (err) => log.info(`Compare with Bucket: the inventory configuration of ${label} cannot be read (${err.message}).`),
  });
  if (choice?.kind !== 'crc64') return { choice };
  try {
    const found = await findReport(
      { store, prefix: place.prefix, label },
      reportLocation(store.provider, place.bucket, choice.config),
      signal,
    );
    if (typeof found !== 'string') return { choice, report: found };
    log.info(`Compare with Bucket: ${found}.`);
  } catch (err) {
    if (signal?.aborted) throw err;
    log.info(`Compare with Bucket: no report of the inventory "${choice.config.id}" of ${label} (${(err as Error).message}).`);
  }
  return { choice };
}
