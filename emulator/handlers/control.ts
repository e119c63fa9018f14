import type { IncomingMessage, ServerResponse } from 'node:http';
import { addAccount } from '../auth';
import type { ServerConfig } from '../context';
import { parseActionName } from '../faults';
import { readSmallBody } from '../request';
import type { Account, DialectName, FaultRule, Operation } from '../types';
import { runInventory } from '../inventory/run';
import { seedBucket, type SeedRequest } from '../seed/seed';
import { putLegacyObject } from './objects';
import { COS_TIERS } from './objectState';

/**
 * The HTTP control API under `/_emulator/` on the same port: faults, the request log, legacy objects,
 * buckets and accounts, for tests and tools that do not run the emulator in their own process.
 */

/** One control call: the request, its URL and the emulator; returns the JSON answer. */
type ControlHandler = (req: IncomingMessage, url: URL, cfg: ServerConfig) => unknown;

function dialectOf(value: unknown): DialectName {
  if (value !== 'cos' && value !== 'oss') throw new Error('dialect=cos|oss is required');
  return value;
}

function required(url: URL, name: string): string {
  const v = url.searchParams.get(name);
  if (!v) throw new Error(`${name} is required`);
  return v;
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return JSON.parse((await readSmallBody(req)) || '{}') as Record<string, unknown>;
}

async function addFault(req: IncomingMessage, _url: URL, cfg: ServerConfig): Promise<unknown> {
  const body = await jsonBody(req);
  const times = body.times === 'Infinity' || body.times === 'infinite' || body.times === -1 ? Infinity : body.times;
  const rule: FaultRule = {
    dialect: body.dialect as DialectName | undefined,
    op: body.op as Operation | undefined,
    bucket: body.bucket as string | undefined,
    key: body.key as string | undefined,
    partNumber: body.partNumber === undefined ? undefined : Number(body.partNumber),
    times: times === undefined || times === null ? 1 : Number(times),
    action: parseActionName(body.action),
  };
  return { id: cfg.faults.add(rule) };
}

/** Keyed by `METHOD path` (the path after `/_emulator/`). */
const CONTROL: Record<string, ControlHandler> = {
  'POST faults': addFault,
  'DELETE faults': (_req, _url, cfg) => {
    cfg.faults.clear();
    return { ok: true };
  },
  'GET faults': (_req, _url, cfg) => cfg.faults.list(),
  'GET requests': (_req, _url, cfg) => cfg.log,
  'DELETE requests': (_req, _url, cfg) => {
    cfg.log.length = 0;
    return { ok: true };
  },
  'POST legacy-object': async (req, url, cfg) => {
    const m = await putLegacyObject(
      cfg.store,
      dialectOf(url.searchParams.get('dialect')),
      required(url, 'bucket'),
      required(url, 'key'),
      req,
    );
    return { key: m.key, size: m.size, etag: m.etag };
  },
  'POST buckets': async (_req, url, cfg) => {
    const dialect = dialectOf(url.searchParams.get('dialect'));
    const name = required(url, 'name');
    if (cfg.store.getBucket(dialect, name)) return { ok: true };
    cfg.dialects[dialect].checkBucketName(name);
    await cfg.store.createBucket(dialect, name, 'main');
    return { ok: true };
  },
  /** `{"dialect","bucket","prefix","count","size"?,"withCrc"?}` → the keys created. */
  'POST seed-objects': async (req, _url, cfg) => {
    const body = (await jsonBody(req)) as unknown as SeedRequest & { dialect: DialectName; bucket: string };
    return seedBucket(cfg.store, dialectOf(body.dialect), String(body.bucket ?? ''), body);
  },
  /** `?dialect=&bucket=&id=[&rowsPerFile=]` → `{ manifestKey, dataKeys, rows }`. */
  'POST inventory-run': async (_req, url, cfg) => {
    const rows = url.searchParams.get('rowsPerFile');
    const r = await runInventory(
      cfg.store,
      cfg.inventory,
      dialectOf(url.searchParams.get('dialect')),
      required(url, 'bucket'),
      required(url, 'id'),
      {
        rowsPerFile: rows ? Number(rows) : undefined,
      },
    );
    return { manifestKey: r.manifestKey, dataKeys: r.dataKeys, rows: r.rows };
  },
  /** `?dialect=cos&bucket=&key=&tier=` moves an INTELLIGENT_TIERING object to a tier (a restore is forgotten). */
  'POST storage-tier': async (_req, url, cfg) => {
    const tier = required(url, 'tier');
    if (!(COS_TIERS as readonly string[]).includes(tier)) throw new Error(`tier must be one of ${COS_TIERS.join(', ')}`);
    const b = cfg.store.getBucket(dialectOf(url.searchParams.get('dialect')), required(url, 'bucket'));
    const m = b?.objects.get(required(url, 'key'));
    if (!b || !m) throw new Error('no such object');
    m.storageTier = tier;
    delete m.restore;
    await cfg.store.saveMeta(b, m);
    return { ok: true };
  },
  /** `{"delayMs"?,"dayMs"?}`: how long a restore takes and how long one of its days lasts, from now on. */
  'POST restore-timing': async (req, _url, cfg) => {
    const body = await jsonBody(req);
    for (const name of ['delayMs', 'dayMs'] as const) {
      const v = body[name];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !(v >= 0)) throw new Error(`${name} must be a number of ms`);
      cfg.restore[name] = v;
    }
    return { ...cfg.restore };
  },
  'POST accounts': async (req, _url, cfg) => {
    const body = (await jsonBody(req)) as unknown as Account & { dialect: DialectName };
    addAccount(cfg.accounts, dialectOf(body.dialect), { id: body.id, secret: body.secret, token: body.token, owner: body.owner });
    return { ok: true };
  },
};
CONTROL['PUT legacy-object'] = CONTROL['POST legacy-object'];

export async function handleControl(req: IncomingMessage, res: ServerResponse, cfg: ServerConfig): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const path = url.pathname.replace(/^\/_emulator\//, '');
  const method = req.method ?? 'GET';
  const handler = CONTROL[`${method} ${path}`];
  const [status, body] = handler
    ? [200, await handler(req, url, cfg)]
    : [404, { error: `unknown control path ${method} /_emulator/${path}` }];
  const text = JSON.stringify(body, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
