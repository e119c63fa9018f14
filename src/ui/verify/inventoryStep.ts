import { folderPrefix } from '../../integrity/compare';
import type { CrcRecord } from '../../record';
import type { ObjectStore } from '../../storage/types';
import { formatCount } from '../../util/format';
import { CRC_INVENTORY_ID } from './enableInventory';
import type { VerifyFeature } from './verifyCommand';

/**
 * Before a verify: when the bucket has the CRC inventory, its newest report into the record (once per
 * report and prefix), so only what changed since needs a HEAD. Without one, nothing happens: the verify
 * HEADs what the record does not know. Returns a line for the report, or undefined.
 */
export async function importCrcInventory(
  feature: VerifyFeature,
  store: ObjectStore,
  record: CrcRecord,
  target: { profile: string; bucket: string; prefix: string },
  signal: AbortSignal,
  report: (message: string) => void,
): Promise<string | undefined> {
  const inventory = await import('../../inventory');
  let location;
  try {
    location = await inventory.inventoryLocation(store, target.bucket, CRC_INVENTORY_ID, signal);
  } catch (err) {
    if (err instanceof inventory.InventoryError) {
      feature.log.info(`${target.bucket}: ${err.message}`);
      return undefined;
    }
    throw err;
  }
  const prefix = folderPrefix(target.prefix);
  const stateKey = `inventory:${target.profile}:${target.bucket}:${prefix}`;
  try {
    const result = await inventory.importInventory({
      store,
      record,
      profile: target.profile,
      location,
      prefix,
      skipManifest: record.runState<string>(stateKey),
      signal,
      onProgress: (p) => report(`reading the inventory report: ${p.filesDone}/${p.files} files, ${formatCount(p.rows)} objects`),
    });
    for (const f of result.failed) feature.log.warn(`inventory file ${f.key} was not imported: ${f.message}`);
    if (result.unchanged) return `Inventory: report ${result.run}, already in the record`;
    record.setRunState(stateKey, result.manifestKey);
    return `Inventory: report ${result.run}, ${formatCount(result.rows)} objects${result.failed.length ? `, ${result.failed.length} damaged files left out (see the log)` : ''}`;
  } catch (err) {
    if (!(err instanceof inventory.InventoryError)) throw err;
    feature.log.info(`${target.bucket}: ${err.message}`);
    return `Inventory: ${err.message}`;
  }
}
