import * as l10n from '@vscode/l10n';
import { compareKeys } from '../record/keyOrder';
import { StorageError } from '../storage/errors';
import { providerTraits } from '../storage/traits';
import type { ObjectStore, ProviderKind } from '../storage/types';
import { InventoryError } from './errors';
import { parseManifest, type Manifest } from './manifest';

/**
 * Where a service writes an inventory's reports in the destination bucket, one folder per run: each
 * cloud's layout is in its traits (src/storage/cos/traits.ts, src/storage/oss/traits.ts). The run folders'
 * names sort by time within one layout, so the newest is the greatest that holds a manifest.
 */

export interface InventoryLocation {
  provider: ProviderKind;
  /** The bucket the inventory describes (for COS with its `-appid` suffix). */
  sourceBucket: string;
  inventoryId: string;
  /** The bucket the reports are written to. */
  destinationBucket: string;
  /** The report prefix of the inventory's configuration ('' for none). */
  destinationPrefix: string;
}

/**
 * COS refuses a one-time inventory (POST Bucket inventory) under the id of a periodic one, and the same id
 * twice in one day ("使用与周期性清单任务相同的 ID … 会返回重复清单任务的错误", "同一天内不允许提交重复的 id",
 * https://www.tencentcloud.com/document/product/436/46869). So a one-time run of inventory `id` is
 * submitted as `id-once-<UTC YYYYMMDDHHMMSS>`, and its report lands in that id's folder, beside the daily one.
 */
export function oneTimeInventoryId(id: string, now: Date): string {
  return `${id}${ONE_TIME}${now.toISOString().replace(/\D/g, '').slice(0, 14)}`;
}

const ONE_TIME = '-once-';

export interface FoundManifest {
  key: string;
  manifest: Manifest;
  /** The run folder's name, e.g. `20240102` or `2024-01-02T03-04Z`. */
  run: string;
}

/** The folders that may hold the inventory's runs, the documented one first (the cloud's traits know them). */
export function inventoryFolders(loc: InventoryLocation): string[] {
  return providerTraits(loc.provider).inventory.reportFolders(loc);
}

async function runFolders(store: Pick<ObjectStore, 'list'>, bucket: string, folder: string, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.list(bucket, { prefix: folder, delimiter: '/', pageToken, pageSize: 1000, signal });
    for (const p of page.prefixes) {
      const name = p.slice(folder.length, -1);
      if (/^\d{4}-?\d{2}-?\d{2}/.test(name)) out.push(name);
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out.sort((a, b) => compareKeys(b, a));
}

async function readSmall(store: Pick<ObjectStore, 'get'>, bucket: string, key: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const { body } = await store.get(bucket, key, { signal });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > 64 * 1024 * 1024) {
        body.destroy();
        throw new InventoryError('bad-manifest', l10n.t('{0} is larger than 64 MiB; it is not an inventory manifest.', key));
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-key') return undefined;
    throw err;
  }
}

/** The folders of the one-time runs (`<id>-once-<stamp>/`) next to an inventory's folder (COS only). */
async function oneTimeFolders(
  store: Pick<ObjectStore, 'list'>,
  bucket: string,
  folder: string,
  id: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const prefix = `${folder.slice(0, -(id.length + 1))}${id}${ONE_TIME}`;
  const out: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.list(bucket, { prefix, delimiter: '/', pageToken, pageSize: 1000, signal });
    for (const p of page.prefixes) if (/^\d{14}\/$/.test(p.slice(prefix.length))) out.push(p);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

/**
 * The newest run's manifest, or `InventoryError('not-found')` when the inventory has written none. On COS
 * (a cloud whose inventory runs once on request) the one-time runs count too; on the same run date a one-time run (requested later than the schedule's) wins.
 */
export async function findLatestManifest(
  store: Pick<ObjectStore, 'list' | 'get'>,
  loc: InventoryLocation,
  signal?: AbortSignal,
): Promise<FoundManifest> {
  for (const folder of inventoryFolders(loc)) {
    const folders = [
      folder,
      ...(providerTraits(loc.provider).inventory.runsOnce
        ? await oneTimeFolders(store, loc.destinationBucket, folder, loc.inventoryId, signal)
        : []),
    ];
    const runs: Array<{ folder: string; run: string; order: string }> = [];
    for (const f of folders) {
      const stamp = f === folder ? '' : f.slice(-15, -1);
      for (const run of await runFolders(store, loc.destinationBucket, f, signal))
        runs.push({ folder: f, run, order: `${run}\u0000${stamp}` });
    }
    runs.sort((a, b) => compareKeys(b.order, a.order));
    for (const { folder: f, run } of runs) {
      const key = `${f}${run}/manifest.json`;
      const text = await readSmall(store, loc.destinationBucket, key, signal);
      if (text !== undefined) return { key, run, manifest: parseManifest(text) };
    }
  }
  throw new InventoryError(
    'not-found',
    l10n.t(
      'No report of inventory "{0}" of {1} was found in {2}.',
      loc.inventoryId,
      loc.sourceBucket,
      `${loc.destinationBucket}/${loc.destinationPrefix}`,
    ),
    l10n.t(
      'Enable a CRC inventory on the bucket (Enable CRC Inventory…) and wait for its first report, or check the inventory id and destination.',
    ),
  );
}
