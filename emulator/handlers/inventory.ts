import type { RequestContext } from '../context';
import { EmulatorError } from '../errors';
import { parseInventory, renderElement } from '../inventory/config';
import { runReport } from '../inventory/run';
import { drain, readSmallBody } from '../request';
import { toXml } from '../xml';

/**
 * The inventory API on `/?inventory`: PUT, GET (one by id, or the list), DELETE, and COS's one-time POST,
 * which writes its report at once. The id is `id` for COS and `inventoryId` for OSS, as each SDK sends it.
 */

const PAGE = 100;

function inventoryId(ctx: RequestContext, required: boolean): string {
  const name = ctx.dialect.name === 'cos' ? 'id' : 'inventoryId';
  const id = ctx.q.get(name) ?? '';
  if (required && !id) throw new EmulatorError(400, 'InvalidArgument', `The ${name} parameter is required.`);
  return id;
}

function noSuchInventory(ctx: RequestContext): EmulatorError {
  return ctx.dialect.name === 'cos'
    ? new EmulatorError(404, 'NoSuchInventoryConfiguration', 'The specified inventory configuration does not exist.')
    : new EmulatorError(404, 'NoSuchInventory', 'The specified inventory does not exist.');
}

export async function putInventory(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const body = await readSmallBody(ctx.req);
  const { config, xml } = parseInventory(ctx.dialect.name, body, inventoryId(ctx, true));
  const dest = ctx.store.getBucket(ctx.dialect.name, config.destBucket);
  if (!dest || dest.owner !== b.owner) throw new EmulatorError(400, 'InvalidArgument', `The destination bucket "${config.destBucket}" does not exist.`);
  await ctx.cfg.inventory.registry.put(b, { config, xml: renderElement(xml) });
  ctx.send(200, {});
}

export async function getInventory(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  await drain(ctx.req);
  const stored = await ctx.cfg.inventory.registry.get(b, inventoryId(ctx, true));
  if (!stored) throw noSuchInventory(ctx);
  ctx.send(200, {}, `<?xml version="1.0" encoding="UTF-8"?>\n${stored.xml}`);
}

/** One page of configurations (100, as both services page them), continued after the token's id. */
export async function listInventory(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  await drain(ctx.req);
  const token = ctx.q.get('continuation-token') ?? '';
  const all = (await ctx.cfg.inventory.registry.list(b)).filter((s) => !token || s.config.id > token);
  const page = all.slice(0, PAGE);
  const truncated = all.length > page.length;
  const root = ctx.dialect.name === 'cos' ? 'ListInventoryConfigurationResult' : 'ListInventoryConfigurationsResult';
  const tail = toXml({
    IsTruncated: truncated,
    ContinuationToken: token || undefined,
    NextContinuationToken: truncated ? page[page.length - 1].config.id : undefined,
  });
  ctx.send(200, {}, `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${page.map((s) => s.xml).join('')}${tail}</${root}>`);
}

export async function deleteInventory(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  await drain(ctx.req);
  if (!(await ctx.cfg.inventory.registry.delete(b, inventoryId(ctx, true)))) throw noSuchInventory(ctx);
  ctx.send(204, {});
}

/** COS POST Bucket inventory: a one-time inventory, run before the answer (its report is there when it returns). */
export async function postInventory(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const body = await readSmallBody(ctx.req);
  const { config } = parseInventory(ctx.dialect.name, body, inventoryId(ctx, true), true);
  const { appId, rowsPerFile } = ctx.cfg.inventory;
  let manifestKey: string;
  try {
    manifestKey = (await runReport(ctx.store, appId, b, config, { rowsPerFile })).manifestKey;
  } catch (e) {
    throw new EmulatorError(400, 'InvalidArgument', e instanceof Error ? e.message : String(e));
  }
  ctx.sendXml('PostInventoryResult', { JobId: Buffer.from(manifestKey).toString('base64') });
}
