import * as l10n from '@vscode/l10n';
import {
  findLatestManifest,
  importInventory,
  importJournal,
  InventoryError,
  type ImportResult,
  type InventoryLocation,
} from '../../inventory';
import type { CrcRecord } from '../../record';
import { folderPrefix } from '../../storage/listing';
import { formatCount } from '../../util/format';
import type { ParsedArgs } from '../args';
import type { CliIo } from '../io';
import { sayVerify as say } from '../verifyShared';
import { sideInventoryLocation, type Side } from './auditSides';

/**
 * Each side's inventory of an audit into the CRC record, or the listing-and-HEAD route for a side whose
 * inventory has no Crc64 (with --head; else the audit stops and says what that would cost).
 */

export interface SideImport {
  side: Side;
  result?: ImportResult;
  /** The side has no CRC inventory and is checked by listing + HEAD. */
  byHead?: boolean;
  /** The report was read as it streamed, not imported (`--stream-reports`). */
  streamed?: boolean;
}

/** How many objects an inventory without Crc64 lists (its newest manifest's count), for the cost of HEADing them. */
async function inventoryObjectCount(side: Side, err: InventoryError, signal?: AbortSignal): Promise<number | undefined> {
  if (err.objectCount !== undefined) return err.objectCount;
  try {
    const config = await side.store.getInventory(side.remote.bucket, side.inventoryId!, { signal });
    const loc: InventoryLocation = {
      provider: side.remote.provider,
      sourceBucket: side.remote.bucket,
      inventoryId: side.inventoryId!,
      destinationBucket: config.destination.bucket,
      destinationPrefix: config.destination.prefix ?? '',
    };
    return (await findLatestManifest(side.store, loc, signal)).manifest.objectCount;
  } catch {
    return undefined;
  }
}

function headCost(objects: number | undefined): string {
  return objects === undefined
    ? 'one list request per 1,000 objects and one HEAD request per object'
    : `about ${formatCount(Math.ceil(objects / 1000))} list and ${formatCount(objects)} HEAD requests`;
}

export /** The side's inventory into the record (skipped when its newest report was imported already). */
async function importSide(side: Side, record: CrcRecord, args: ParsedArgs, io: CliIo): Promise<SideImport> {
  const id = side.inventoryId;
  if (!id) {
    say(io, `${side.audit.label}: no inventory given: what the record does not know is HEADed (${headCost(undefined)})`);
    return { side };
  }
  const { remote } = side;
  try {
    const location = await sideInventoryLocation(side, id, io.signal);
    const journalKey = `audit-import:${JSON.stringify([side.profile, remote.bucket, id, location.destinationBucket, location.destinationPrefix, folderPrefix(remote.key)])}`;
    const result = await importInventory({
      store: side.store,
      record,
      profile: side.profile,
      location,
      prefix: folderPrefix(remote.key),
      // The report imported before is not read again (a resumed audit starts at once).
      skipManifest: importJournal(record).state(journalKey),
      signal: io.signal,
      onProgress: (p) => say(io, `${side.audit.label} inventory: ${p.filesDone}/${p.files} files, ${formatCount(p.rows)} objects`),
    });
    for (const f of result.failed) say(io, `${side.audit.label}: inventory file ${f.key} was not imported: ${f.message}`);
    if (result.unchanged) say(io, `${side.audit.label}: inventory "${id}" of ${result.run} was imported before`);
    else {
      if (result.failed.length === 0) importJournal(record).setState(journalKey, result.manifestKey);
      say(io, `${side.audit.label}: inventory "${id}" of ${result.run}: ${formatCount(result.rows)} objects recorded`);
    }
    return { side, result };
  } catch (err) {
    if (!(err instanceof InventoryError) || err.kind !== 'no-crc64-field') throw err;
    const cost = headCost(await inventoryObjectCount(side, err, io.signal));
    if (args.flags.head === true) {
      say(io, `${side.audit.label}: ${err.message} Checking it by listing and HEAD instead: ${cost}.`);
      return { side, byHead: true };
    }
    throw new InventoryError(
      'no-crc64-field',
      `${side.audit.label}: ${err.message}`,
      l10n.t(
        'It can be checked by listing it and one HEAD per object instead ({0}): run again with --head. Or add Crc64 to the inventory (Enable CRC Inventory…) and wait for its next report.',
        cost,
      ),
    );
  }
}

/** A side's inventory as `--json` prints it. */
export function inventoryJson(i: SideImport): unknown {
  if (i.byHead) return { route: 'listing+head', reason: 'the inventory has no Crc64' };
  if (!i.result) return null;
  return {
    run: i.result.run,
    manifest: i.result.manifestKey,
    objects: i.result.rows,
    unchanged: i.result.unchanged === true,
    streamed: i.streamed === true,
    failedFiles: i.result.failed,
  };
}
