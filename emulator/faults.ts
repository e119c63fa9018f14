import type { DialectName, FaultAction, FaultRule, Operation } from './types';

interface ActiveRule {
  id: number;
  rule: FaultRule;
  remaining: number;
}

export interface FaultTarget {
  dialect: DialectName;
  op: Operation;
  bucket?: string;
  key?: string;
  partNumber?: number;
}

/** Code a test runs inside the emulator before a matching request is served (e.g. a concurrent overwrite). */
export type RequestHook = (target: FaultTarget) => void | Promise<void>;

interface ActiveHook {
  id: number;
  match: Omit<FaultRule, 'action'>;
  remaining: number;
  run: RequestHook;
}

/** Fault rules, each consumed by the next N requests that match it; hooks, run before matching requests. */
export class FaultRegistry {
  private rules: ActiveRule[] = [];
  private hooks: ActiveHook[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    validateAction(rule.action);
    if (rule.action.kind === 'error-in-200') validateErrorIn200(rule);
    const times = rule.times === undefined ? 1 : rule.times;
    if (!(times > 0)) throw new Error('times must be a positive number or Infinity');
    const id = this.nextId++;
    this.rules.push({ id, rule, remaining: times });
    return id;
  }

  /** Runs `run` before each of the next `times` (default: every) requests matching `match`. */
  hook(match: Omit<FaultRule, 'action'>, run: RequestHook): number {
    const times = match.times === undefined ? Infinity : match.times;
    if (!(times > 0)) throw new Error('times must be a positive number or Infinity');
    const id = this.nextId++;
    this.hooks.push({ id, match, remaining: times, run });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
    this.hooks = this.hooks.filter((h) => h.id !== id);
  }

  clear(): void {
    this.rules = [];
    this.hooks = [];
  }

  /** The hooks matching a request, each consumed once. */
  takeHooks(t: FaultTarget): RequestHook[] {
    const out: RequestHook[] = [];
    for (const h of this.hooks) {
      if (!matches(h.match, t)) continue;
      out.push(h.run);
      h.remaining -= 1;
    }
    this.hooks = this.hooks.filter((h) => h.remaining > 0);
    return out;
  }

  list(): Array<FaultRule & { id: number; remaining: number }> {
    return this.rules.map((r) => ({ ...r.rule, id: r.id, remaining: r.remaining }));
  }

  /** Every rule matching the request, each consumed once. */
  take(t: FaultTarget): FaultAction[] {
    const out: FaultAction[] = [];
    for (const r of this.rules) {
      const { rule } = r;
      if (!matches(rule, t)) continue;
      if (rule.action.kind === 'error-in-200' && !answersErrorIn200(t)) continue;
      out.push(rule.action);
      r.remaining -= 1;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return out;
  }
}

function matches(rule: Omit<FaultRule, 'action'>, t: FaultTarget): boolean {
  if (rule.dialect && rule.dialect !== t.dialect) return false;
  // A rule for ListObjects also covers the v2 listing, which is the same operation to a caller.
  if (rule.op && rule.op !== t.op && !(rule.op === 'ListObjects' && t.op === 'ListObjectsV2')) return false;
  if (rule.bucket !== undefined && rule.bucket !== t.bucket) return false;
  if (rule.key !== undefined && rule.key !== t.key) return false;
  return !(rule.partNumber !== undefined && rule.partNumber !== t.partNumber);
}

/** The calls COS documents as able to answer 200 with an `<Error>` body (OSS documents none). */
const ERROR_IN_200_OPS: ReadonlySet<Operation> = new Set(['CopyObject', 'CompleteMultipartUpload']);

function answersErrorIn200(t: FaultTarget): boolean {
  return t.dialect === 'cos' && ERROR_IN_200_OPS.has(t.op);
}

/** An `error-in-200` rule that could never match is refused rather than left waiting. */
function validateErrorIn200(rule: FaultRule): void {
  if (rule.dialect === 'oss' || (rule.op !== undefined && !ERROR_IN_200_OPS.has(rule.op))) {
    throw new Error('error-in-200 applies to COS CopyObject and CompleteMultipartUpload only');
  }
}

function validateAction(a: FaultAction): void {
  switch (a?.kind) {
    case 'status':
      if (!Number.isInteger(a.status) || a.status < 400 || a.status > 599) throw new Error('status must be 400..599');
      return;
    case 'delay':
      if (!(a.ms >= 0)) throw new Error('delay needs ms >= 0');
      return;
    case 'reset':
    case 'corrupt-upload':
    case 'corrupt-download':
    case 'truncate-download':
    case 'wrong-crc-header':
    case 'omit-crc-header':
    case 'store-without-crc':
    case 'drop-response':
    case 'error-in-200':
      return;
    default:
      throw new Error(`unknown fault action ${JSON.stringify(a)}`);
  }
}

/**
 * The action names of the HTTP control API (`POST /_emulator/faults`), e.g. `"status-503"` or
 * `"delay-ms:200"`; the object form of {@link FaultAction} is accepted as well.
 */
export function parseActionName(action: unknown): FaultAction {
  if (action && typeof action === 'object') return action as FaultAction;
  if (typeof action !== 'string') throw new Error('action is required');
  const status = /^status-(\d{3})$/.exec(action);
  if (status) {
    const code = Number(status[1]);
    return { kind: 'status', status: code };
  }
  const delay = /^delay-ms:(\d+)$/.exec(action);
  if (delay) return { kind: 'delay', ms: Number(delay[1]) };
  switch (action) {
    case 'corrupt-body':
    case 'corrupt-upload':
      return { kind: 'corrupt-upload' };
    case 'corrupt-get-body':
    case 'corrupt-download':
      return { kind: 'corrupt-download' };
    case 'truncate-get-body':
    case 'truncate-download':
      return { kind: 'truncate-download' };
    case 'wrong-crc':
    case 'wrong-crc-header':
      return { kind: 'wrong-crc-header' };
    case 'no-crc':
    case 'omit-crc-header':
      return { kind: 'omit-crc-header' };
    case 'store-without-crc':
      return { kind: 'store-without-crc' };
    case 'reset':
      return { kind: 'reset' };
    case 'drop-response':
      return { kind: 'drop-response' };
    case 'error-in-200':
      return { kind: 'error-in-200' };
    default:
      throw new Error(`unknown fault action "${action}"`);
  }
}
