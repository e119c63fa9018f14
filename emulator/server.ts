import type { IncomingMessage, ServerResponse } from 'node:http';
import { accountKey, isAwsV4, verifyAwsV4, type AccountBook, type SignedRequest } from './auth';
import { RequestContext, type ServerConfig } from './context';
import { EmulatorError, ResetSignal } from './errors';
import { handleControl } from './handlers/control';
import { drain, parseQuery } from './request';
import { classify, detectDialect, handlerFor, resolveTarget, type Handler } from './router';
import type { Account, DialectName, FaultAction, RequestLog } from './types';

/**
 * The HTTP front end: every request is logged, routed (dialect, bucket, key, operation), authenticated,
 * given the faults that match it, and served by its handler; errors are answered in the dialect's form.
 * `/_emulator/…` is the control API.
 */

export type { ServerConfig } from './context';

/** Requests kept in the log: a long demo session must not grow it without bound. */
const MAX_LOG = 20_000;

/** Operations whose `reset` fault cuts the body in the middle (the handler does it); others are cut before any work. */
const BODY_RESET_OPS = new Set(['PutObject', 'UploadPart', 'GetObject']);

export class EmulatorServer implements AccountBook {
  constructor(private readonly cfg: ServerConfig) {}

  find(dialect: DialectName, id: string): Account | undefined {
    return this.cfg.accounts.get(accountKey(dialect, id));
  }

  /** Entry point for every HTTP request. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    if ((req.url ?? '/').startsWith('/_emulator/')) {
      handleControl(req, res, this.cfg).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
        } else res.destroy();
      });
      return;
    }
    this.serve(req, res).catch(() => {
      // Errors are answered inside serve(); anything escaping means the socket is gone.
      res.destroy();
    });
  }

  /** A log entry in arrival order; its status is filled in as the answer starts (0 if none was sent). */
  private logRequest(req: IncomingMessage, res: ServerResponse): RequestLog {
    const log: RequestLog = { time: Date.now(), method: (req.method ?? 'GET').toUpperCase(), op: 'Unknown', status: 0 };
    this.cfg.log.push(log);
    if (this.cfg.log.length > MAX_LOG) this.cfg.log.splice(0, this.cfg.log.length - MAX_LOG);
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      log.status = args[0] as number;
      return writeHead(...args);
    }) as typeof res.writeHead;
    return log;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx = new RequestContext(req, res, this.cfg, this.logRequest(req, res));
    try {
      const handler = this.route(ctx);
      if (await this.applyFaults(ctx)) return;
      await handler(ctx);
    } catch (e) {
      if (e instanceof ResetSignal) {
        req.socket.destroy();
        return;
      }
      const err = e instanceof EmulatorError ? e : new EmulatorError(500, 'InternalError', e instanceof Error ? e.message : String(e));
      await this.sendError(ctx, err);
    }
  }

  /** Fill in what the request is and who sent it; returns its handler. */
  private route(ctx: RequestContext): Handler {
    const { req, log } = ctx;
    // A request through a proxy names its target in absolute form (`http://host/path`): the Host header says where.
    const url = (req.url ?? '/').replace(/^https?:\/\/[^/?]*/i, '') || '/';
    const qi = url.indexOf('?');
    ctx.rawPath = qi < 0 ? url : url.slice(0, qi);
    ctx.query = parseQuery(qi < 0 ? '' : url.slice(qi + 1));
    for (const item of ctx.query) ctx.q.set(item.key, item.value);
    ctx.dialect = detectDialect(req, ctx.query, this.cfg.dialects, (dialect, id) => this.find(dialect, id) !== undefined);
    log.dialect = ctx.dialect.name;
    const target = resolveTarget(ctx.dialect, ctx.host, ctx.rawPath);
    ctx.bucketName = target.bucket;
    ctx.key = target.key;
    ctx.op = classify(log.method, target.bucket, target.key, ctx.q, ctx.serviceHeader('copy-source') !== undefined, ctx.dialect.name);
    log.op = ctx.op;
    log.bucket = ctx.bucketName;
    log.key = ctx.key || undefined;
    if (ctx.q.has('partNumber')) log.partNumber = Number(ctx.q.get('partNumber'));
    if (ctx.q.has('uploadId')) log.uploadId = ctx.q.get('uploadId');
    ctx.account = this.authenticate(ctx);
    // Signed as sent; served as the service stores it (COS normalises `.`, `..` and runs of `/`).
    const key = ctx.dialect.normalizeKey(ctx.key);
    if (key !== ctx.key) {
      ctx.key = key;
      ctx.op = classify(log.method, target.bucket, key, ctx.q, ctx.serviceHeader('copy-source') !== undefined, ctx.dialect.name);
      log.op = ctx.op;
      log.key = key || undefined;
    }
    return handlerFor(ctx.op, ctx.q);
  }

  private authenticate(ctx: RequestContext): Account {
    const auth = ctx.header('authorization') ?? '';
    const signed: SignedRequest = {
      method: ctx.log.method,
      headers: ctx.req.headers,
      query: ctx.query,
      bucket: ctx.bucketName,
      key: ctx.key,
    };
    if (isAwsV4(auth, ctx.query)) return verifyAwsV4(signed, auth, ctx.rawPath, ctx.dialect.name, this);
    // No Authorization header: a presigned URL carries its signature in the query.
    if (!auth && !ctx.dialect.signedBy('', ctx.query))
      throw new EmulatorError(403, 'AccessDenied', 'Anonymous access is forbidden for this operation.');
    return ctx.dialect.verify(signed, auth, this);
  }

  /** Take the matching faults; those that act before the handler run here. True when the request is over. */
  private async applyFaults(ctx: RequestContext): Promise<boolean> {
    const target = {
      dialect: ctx.dialect.name,
      op: ctx.op,
      bucket: ctx.bucketName,
      key: ctx.key || undefined,
      partNumber: ctx.log.partNumber,
    };
    for (const hook of this.cfg.faults.takeHooks(target)) await hook(target);
    ctx.faults = this.cfg.faults.take(target);
    if (ctx.faults.length) ctx.log.faults = ctx.faults.map((f) => f.kind);
    for (const f of ctx.faults) if (f.kind === 'delay') await new Promise((r) => setTimeout(r, f.ms));
    const status = ctx.faults.find((f): f is Extract<FaultAction, { kind: 'status' }> => f.kind === 'status');
    if (status) {
      const code =
        status.code ?? (status.status === 503 ? 'ServiceUnavailable' : status.status === 500 ? 'InternalError' : 'InjectedFault');
      throw new EmulatorError(status.status, code, 'Injected fault.');
    }
    // Sent through the error path with status 200: the dialect's error document under a success status.
    if (ctx.has('error-in-200')) throw new EmulatorError(200, 'InternalError', 'We encountered an internal error. Please try again.');
    if (ctx.has('reset') && !BODY_RESET_OPS.has(ctx.op)) {
      ctx.req.socket.destroy();
      return true;
    }
    return false;
  }

  private async sendError(ctx: RequestContext, err: EmulatorError): Promise<void> {
    ctx.log.code = err.code;
    await drain(ctx.req);
    if (ctx.res.headersSent || ctx.res.destroyed) {
      ctx.res.destroy();
      return;
    }
    // A HEAD answer, like any 304, has no body.
    const head = ctx.req.method === 'HEAD' || err.status === 304;
    const resource = `${ctx.host}${(ctx.req.url ?? '/').split('?')[0]}`;
    const { headers, body } = ctx.dialect.errorResponse(err, { resource, requestId: ctx.requestId, host: ctx.host, head });
    ctx.send(err.status, { ...headers, ...err.headers }, head ? undefined : body);
  }
}
