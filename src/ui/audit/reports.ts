import { findReport, type StreamedReport } from '../../integrity/audit';
import { chooseInventory, reportLocation } from '../../inventory/choice';
import type { ObjectStore } from '../../storage/types';
import type { Logger } from '../logger';
import type { AuditPlace } from './auditFeature';

/**
 * The newest report of the side's CRC inventory (one with Crc64 that covers the prefix, as Verify chooses
 * it), read as it streams by Compare with Bucket… so no object the report vouches for is HEADed, and nothing
 * has to be imported first. Undefined when the bucket has none, it has written no report yet, or its
 * configuration cannot be read: the side is then known from the CRC record, as before.
 */
export async function sideReport(
  store: ObjectStore,
  place: AuditPlace,
  label: string,
  log: Logger,
  signal?: AbortSignal,
): Promise<StreamedReport | undefined> {
  try {
    const choice = chooseInventory(await store.listInventories(place.bucket, { signal }), place.prefix);
    if (choice.kind !== 'crc64') return undefined;
    const found = await findReport(
      { store, prefix: place.prefix, label },
      reportLocation(store.provider, place.bucket, choice.config),
      signal,
    );
    if (typeof found === 'string') {
      log.info(`Compare with Bucket: ${found}; the CRC record serves this side.`);
      return undefined;
    }
    return found;
  } catch (err) {
    if (signal?.aborted) throw err;
    log.info(`Compare with Bucket: no inventory report of ${label} to read (${(err as Error).message}); the CRC record serves this side.`);
    return undefined;
  }
}
