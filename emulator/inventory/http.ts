import { EmulatorError } from '../../test/emulator/errors';
import type { BucketState, Store } from '../../test/emulator/store';
import type { Dialect } from '../../test/emulator/types';
import { toXml, xmlDocument } from '../../test/emulator/xml';
import { parseInventory, renderElement } from './config';
import type { InventoryRegistry } from './registry';
import { runReport } from './run';

/**
 * The inventory API on `/?inventory`: PUT, GET (one by id, or the list), DELETE, and COS's one-time POST.
 * The id is `id` for COS and `inventoryId` for OSS, as each SDK sends it.
 */

export type InventoryOperation = 'PutBucketInventory' | 'GetBucketInventory' | 'ListBucketInventory' | 'DeleteBucketInventory' | 'PostBucketInventory';

export interface InventoryDeps {
  store: Store;
  registry: InventoryRegistry;
  /** COS account id. */
  appId: string;
  rowsPerFile?: number;
}

export interface InventoryRequest {
  dialect: Dialect;
  op: InventoryOperation;
  bucket: BucketState;
  q: Map<string, string>;
  /** The request body (PUT, POST). */
  body: string;
}

export interface InventoryReply {
  status: number;
  body?: string;
}

const PAGE = 100;

/** Which inventory operation a bucket request is, if any. */
export function inventoryOperation(method: string, q: Map<string, string>, dialect: Dialect): InventoryOperation | undefined {
  if (!q.has('inventory')) return undefined;
  const hasId = q.has(dialect === 'cos' ? 'id' : 'inventoryId');
  switch (method) {
    case 'PUT':
      return 'PutBucketInventory';
    case 'GET':
      return hasId ? 'GetBucketInventory' : 'ListBucketInventory';
    case 'DELETE':
      return 'DeleteBucketInventory';
    case 'POST':
      return dialect === 'cos' ? 'PostBucketInventory' : undefined;
    default:
      return undefined;
  }
}

function noSuch(dialect: Dialect): EmulatorError {
  return dialect === 'cos'
    ? new EmulatorError(404, 'NoSuchInventoryConfiguration', 'The specified inventory configuration does not exist.')
    : new EmulatorError(404, 'NoSuchInventory', 'The specified inventory does not exist.');
}

export async function serveInventory(deps: InventoryDeps, req: InventoryRequest): Promise<InventoryReply> {
  const { dialect, bucket, q } = req;
  const id = q.get(dialect === 'cos' ? 'id' : 'inventoryId') ?? '';
  const needId = () => {
    if (!id) throw new EmulatorError(400, 'InvalidArgument', `The ${dialect === 'cos' ? 'id' : 'inventoryId'} parameter is required.`);
  };
  switch (req.op) {
    case 'PutBucketInventory': {
      needId();
      const { config, xml } = parseInventory(dialect, req.body, id);
      const dest = deps.store.getBucket(dialect, config.destBucket);
      if (!dest || dest.owner !== bucket.owner) throw new EmulatorError(400, 'InvalidArgument', `The destination bucket "${config.destBucket}" does not exist.`);
      await deps.registry.put(bucket, { config, xml: renderElement(xml) });
      return { status: 200 };
    }
    case 'GetBucketInventory': {
      const stored = await deps.registry.get(bucket, id);
      if (!stored) throw noSuch(dialect);
      return { status: 200, body: `<?xml version="1.0" encoding="UTF-8"?>\n${stored.xml}` };
    }
    case 'ListBucketInventory':
      return { status: 200, body: await listBody(deps, req) };
    case 'DeleteBucketInventory': {
      needId();
      if (!(await deps.registry.delete(bucket, id))) throw noSuch(dialect);
      return { status: 204 };
    }
    case 'PostBucketInventory': {
      needId();
      const { config } = parseInventory(dialect, req.body, id, true);
      let result;
      try {
        result = await runReport(deps.store, deps.appId, bucket, config, { rowsPerFile: deps.rowsPerFile });
      } catch (e) {
        throw new EmulatorError(400, 'InvalidArgument', e instanceof Error ? e.message : String(e));
      }
      return { status: 200, body: xmlDocument('PostInventoryResult', { JobId: Buffer.from(result.manifestKey).toString('base64') }) };
    }
  }
}

/** One page of configurations (100, as both services page them), continued after the token's id. */
async function listBody(deps: InventoryDeps, req: InventoryRequest): Promise<string> {
  const token = req.q.get('continuation-token') ?? '';
  const all = (await deps.registry.list(req.bucket)).filter((s) => !token || s.config.id > token);
  const page = all.slice(0, PAGE);
  const truncated = all.length > page.length;
  const root = req.dialect === 'cos' ? 'ListInventoryConfigurationResult' : 'ListInventoryConfigurationsResult';
  const tail = toXml({
    IsTruncated: truncated,
    ContinuationToken: token || undefined,
    NextContinuationToken: truncated ? page[page.length - 1].config.id : undefined,
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${page.map((s) => s.xml).join('')}${tail}</${root}>`;
}
