import type { IncomingMessage } from 'node:http';
import { readSmallBody } from '../../test/emulator/request';
import type { Store } from '../../test/emulator/store';
import type { Dialect, InventoryRunResult, SeedObjectsRequest, SeedObjectsResult } from '../../test/emulator/types';
import type { InventoryRegistry } from '../inventory/registry';
import { runInventory } from '../inventory/run';
import { seedObjects } from '../seed/seed';

/**
 * Control endpoints for work at scale, shared by the HTTP control API and the in-process emulator object:
 *   POST /_emulator/seed-objects   {"dialect","bucket","prefix","count","size"?,"withCrc"?}
 *   POST /_emulator/inventory-run?dialect=cos|oss&bucket=SRC&id=ID[&rowsPerFile=N]
 *        → {"manifestKey","dataKeys":[...],"rows"}
 */

export interface BulkDeps {
  store: Store;
  inventory: InventoryRegistry;
  /** COS account id (COS report paths and AppID column). */
  cos: { appId: string };
  inventoryRowsPerFile?: number;
}

function dialectOf(value: unknown): Dialect {
  if (value !== 'cos' && value !== 'oss') throw new Error('dialect must be cos or oss');
  return value;
}

export async function seedBucket(deps: BulkDeps, dialect: Dialect, bucket: string, request: SeedObjectsRequest): Promise<SeedObjectsResult> {
  const b = deps.store.getBucket(dialectOf(dialect), bucket);
  if (!b) throw new Error(`no ${dialect} bucket "${bucket}"`);
  return seedObjects(b, request, (key) => deps.store.deleteObject(b, key));
}

export async function runBucketInventory(deps: BulkDeps, dialect: Dialect, bucket: string, id: string, options: { rowsPerFile?: number } = {}): Promise<InventoryRunResult> {
  const r = await runInventory(deps.store, deps.inventory, deps.cos.appId, dialectOf(dialect), bucket, id, {
    rowsPerFile: options.rowsPerFile ?? deps.inventoryRowsPerFile,
  });
  return { manifestKey: r.manifestKey, dataKeys: r.dataKeys, rows: r.rows };
}

/** Serve one of the endpoints above; undefined when the path is none of them. */
export async function handleBulkControl(req: IncomingMessage, url: URL, path: string, deps: BulkDeps): Promise<unknown> {
  if (req.method !== 'POST') return undefined;
  if (path === 'seed-objects') {
    const body = JSON.parse((await readSmallBody(req)) || '{}') as SeedObjectsRequest & { dialect: Dialect; bucket: string };
    return seedBucket(deps, body.dialect, body.bucket, body);
  }
  if (path === 'inventory-run') {
    const p = url.searchParams;
    const rows = p.get('rowsPerFile');
    const id = p.get('id') ?? '';
    if (!id) throw new Error('id is required');
    return runBucketInventory(deps, p.get('dialect') as Dialect, p.get('bucket') ?? '', id, { rowsPerFile: rows ? Number(rows) : undefined });
  }
  return undefined;
}
