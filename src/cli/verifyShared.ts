import { InventoryError, inventoryLocation, type InventoryLocation } from '../inventory';
import type { ObjectStore } from '../storage/types';
import type { RemoteUrl } from '../transfer/remoteUrl';
import type { CrcRecord } from '../record';
import { stringFlag, type ParsedArgs } from './args';
import { EXIT_USAGE } from './exitCodes';
import type { CliIo } from './io';
import { openCliRecord } from './recordFile';
import { REMOTE_FLAGS } from './remote';

/** What both forms of `verify` share: a remote against its files or the record, and two remotes (the audit). */

/** The flags both forms take; each adds its own. */
export const VERIFY_FLAGS = {
  ...REMOTE_FLAGS,
  inventory: { type: 'string' },
  'inventory-bucket': { type: 'string' },
  'inventory-prefix': { type: 'string' },
  'record-only': { type: 'boolean' },
  combined: { type: 'string' },
  report: { type: 'string' },
  json: { type: 'boolean' },
  restart: { type: 'boolean' },
  concurrency: { type: 'string' },
  profile: { type: 'string' },
  'state-dir': { type: 'string' },
} as const;

/** A line to stderr, named by the command. */
export function sayVerify(io: CliIo, text: string): void {
  io.stderr(`bucket-integrity verify: ${text}\n`);
}

/**
 * A `verify` run with the CRC record open, closed after it whatever happens. A record that cannot be
 * opened (in use, damaged), or an inventory that cannot serve (no Crc64, no report), is said with its
 * hint and ends the run with the usage exit code.
 */
export async function withVerifyRecord(io: CliIo, args: ParsedArgs, body: (record: CrcRecord) => Promise<number>): Promise<number> {
  const record = await openCliRecord(io, stringFlag(args, 'state-dir'), (text) => sayVerify(io, text));
  if (!record) return EXIT_USAGE;
  try {
    return await body(record);
  } catch (err) {
    if (!(err instanceof InventoryError)) throw err;
    sayVerify(io, `${err.message}${err.hint ? `\n${err.hint}` : ''}`);
    return EXIT_USAGE;
  } finally {
    record.close();
  }
}

/**
 * Where the inventory `id` of `remote`'s bucket writes: the destination given on the command line (bucket,
 * prefix, either defaulting), else the inventory's own configuration.
 */
export async function inventoryLocationFor(
  store: Pick<ObjectStore, 'provider' | 'getInventory'>,
  remote: RemoteUrl,
  id: string,
  given: { bucket?: string; prefix?: string },
  signal?: AbortSignal,
): Promise<InventoryLocation> {
  if (given.bucket === undefined && given.prefix === undefined) return inventoryLocation(store, remote.bucket, id, signal);
  return {
    provider: remote.provider,
    sourceBucket: remote.bucket,
    inventoryId: id,
    destinationBucket: given.bucket ?? remote.bucket,
    destinationPrefix: given.prefix ?? '',
  };
}
