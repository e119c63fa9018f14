import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { handleBulkControl, type BulkDeps } from '../../emulator/control/bulk';
import { addAccount } from './auth';
import { parseActionName, type FaultRegistry } from './faults';
import { readSmallBody } from './request';
import type { ObjectMeta, Store } from './store';
import type { Account, Dialect, FaultRule, Operation, RequestLog } from './types';

/**
 * The HTTP control API under `/_emulator/` on the same port: faults, the request log, legacy objects,
 * buckets and accounts, for tests and tools that do not run the emulator in their own process.
 */

export interface ControlConfig extends BulkDeps {
  store: Store;
  faults: FaultRegistry;
  accounts: Map<string, Account>;
  log: RequestLog[];
}

export type LegacyWriter = (dialect: Dialect, bucket: string, key: string, body: Readable) => Promise<ObjectMeta>;

export async function handleControl(req: IncomingMessage, res: ServerResponse, cfg: ControlConfig, putLegacyObject: LegacyWriter): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const path = url.pathname.replace(/^\/_emulator\//, '');
  const json = (status: number, body: unknown) => {
    const text = JSON.stringify(body, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };
  const method = req.method ?? 'GET';
  if (path === 'faults' && method === 'POST') {
    const body = JSON.parse((await readSmallBody(req)) || '{}') as Record<string, unknown>;
    const times = body.times === 'Infinity' || body.times === 'infinite' || body.times === -1 ? Infinity : body.times;
    const rule: FaultRule = {
      dialect: body.dialect as Dialect | undefined,
      op: body.op as Operation | undefined,
      bucket: body.bucket as string | undefined,
      key: body.key as string | undefined,
      partNumber: body.partNumber === undefined ? undefined : Number(body.partNumber),
      times: times === undefined || times === null ? 1 : Number(times),
      action: parseActionName(body.action),
    };
    json(200, { id: cfg.faults.add(rule) });
    return;
  }
  if (path === 'faults' && method === 'DELETE') {
    cfg.faults.clear();
    json(200, { ok: true });
    return;
  }
  if (path === 'faults' && method === 'GET') return json(200, cfg.faults.list());
  if (path === 'requests' && method === 'GET') return json(200, cfg.log);
  if (path === 'requests' && method === 'DELETE') {
    cfg.log.length = 0;
    return json(200, { ok: true });
  }
  if (path === 'legacy-object' && (method === 'POST' || method === 'PUT')) {
    const dialect = url.searchParams.get('dialect') as Dialect;
    const bucket = url.searchParams.get('bucket') ?? '';
    const key = url.searchParams.get('key') ?? '';
    if ((dialect !== 'cos' && dialect !== 'oss') || !bucket || !key) throw new Error('dialect=cos|oss, bucket and key are required');
    const m = await putLegacyObject(dialect, bucket, key, req);
    return json(200, { key: m.key, size: m.size, etag: m.etag });
  }
  if (path === 'buckets' && method === 'POST') {
    const dialect = url.searchParams.get('dialect') as Dialect;
    const name = url.searchParams.get('name') ?? '';
    if ((dialect !== 'cos' && dialect !== 'oss') || !name) throw new Error('dialect=cos|oss and name are required');
    if (!cfg.store.getBucket(dialect, name)) await cfg.store.createBucket(dialect, name, 'main');
    return json(200, { ok: true });
  }
  if (path === 'accounts' && method === 'POST') {
    const body = JSON.parse((await readSmallBody(req)) || '{}') as Account & { dialect: Dialect };
    if (body.dialect !== 'cos' && body.dialect !== 'oss') throw new Error('dialect=cos|oss is required');
    addAccount(cfg.accounts, body.dialect, { id: body.id, secret: body.secret, token: body.token, owner: body.owner });
    return json(200, { ok: true });
  }
  const bulk = await handleBulkControl(req, url, path, cfg);
  if (bulk !== undefined) return json(200, bulk);
  json(404, { error: `unknown control path ${method} /_emulator/${path}` });
}
