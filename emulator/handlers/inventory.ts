import type { RequestContext } from '../context';
import { EmulatorError } from '../errors';
import { parseInventory, renderElement, type InventoryConfig } from '../inventory/config';
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

/**
 * OSS refuses an AccountId that is not the id of the account granting access (EC 0020-00000028, "与Bucket
 * 拥有者授予的账号ID不匹配", vendor-examples/oss-inventory.md §5); here that is the bucket owner's id, as
 * GetBucketInfo shows it. The RoleArn must be a role of that account, `acs:ram::<AccountId>:role/<name>`
 * as the SDKs write it (oss-inventory.md §4).
 */
function checkOssAccount(ctx: RequestContext, config: InventoryConfig): void {
  const owner = String(ctx.owner().ID);
  if (config.accountId !== owner) {
    throw new EmulatorError(
      400,
      'InvalidArgument',
      `The AccountId of OSSBucketDestination is invalid: "${config.accountId}" is not the id of the bucket owner.`,
      {},
      '0020-00000028',
    );
  }
  const role = /^acs:ram::(\d+):role\/([A-Za-z0-9.-]{1,64})$/.exec(config.roleArn ?? '');
  if (!role || role[1] !== owner) {
    throw new EmulatorError(
      400,
      'InvalidArgument',
      `The RoleArn of OSSBucketDestination is invalid: "${config.roleArn}" is not acs:ram::${owner}:role/<role name>.`,
    );
  }
}

export async function putInventory(ctx: RequestContext): Promise<void> {
  const b = ctx.bucket();
  const body = await readSmallBody(ctx.req);
  const { config, xml } = parseInventory(ctx.dialect.name, body, inventoryId(ctx, true));
  if (ctx.dialect.name === 'oss') {
    checkOssAccount(ctx, config);
    // PutBucketInventory creates only: an existing id is EC 0020-00000042
    // (https://help.aliyun.com/en/oss/user-guide/0020-00000042), 409 InventoryConfigurationAlreadyExists.
    if (await ctx.cfg.inventory.registry.get(b, config.id)) {
      throw new EmulatorError(
        409,
        'InventoryConfigurationAlreadyExists',
        `The inventory "${config.id}" already exists.`,
        {},
        '0020-00000042',
      );
    }
  }
  const dest = ctx.store.getBucket(ctx.dialect.name, config.destBucket);
  if (!dest || dest.owner !== b.owner)
    throw new EmulatorError(400, 'InvalidArgument', `The destination bucket "${config.destBucket}" does not exist.`);
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
  const { appId, rowsPerFile, registry } = ctx.cfg.inventory;
  // "使用与周期性清单任务相同的 id … 会返回重复清单任务的错误"; "同一天内不允许提交重复的 id" (vendor-examples/cos-inventory.md §5).
  // The error code is not documented.
  if (await registry.get(b, config.id)) {
    throw new EmulatorError(
      400,
      'InvalidArgument',
      `Duplicate inventory task: "${config.id}" is the id of a periodic inventory of this bucket.`,
    );
  }
  if (!registry.submitOnce(b, config.id, new Date())) {
    throw new EmulatorError(
      400,
      'InvalidArgument',
      `Duplicate inventory task: a one-time inventory "${config.id}" was already submitted today.`,
    );
  }
  let manifestKey: string;
  try {
    manifestKey = (await runReport(ctx.store, appId, b, config, { rowsPerFile })).manifestKey;
  } catch (e) {
    throw new EmulatorError(400, 'InvalidArgument', e instanceof Error ? e.message : String(e));
  }
  ctx.sendXml('PostInventoryResult', { JobId: Buffer.from(manifestKey).toString('base64') });
}
