import type { ObjectStore } from '../../storage/types';
import { DestinationExistsError as ServerDestinationExists, type VerifiedCopyOptions } from '../../transfer/copy/types';
import { copyObjectVerified, moveObjectVerified, type MoveOutcome } from '../../transfer/copy/verifiedCopy';
import { DestinationExistsError, migrateObject, objectsUnder, type IfDestinationExists, type MigrateTuning } from '../../transfer/migrate';
import { runLimited } from '../../util/concurrency';
import { isCancelled } from '../../util/errors';
import type { CopyReport } from './cpOutput';

/**
 * The objects of one `cp`: each copied server-side (same cloud, same account: no byte through this
 * process) or streamed through a migration (another cloud or account), reported the same way.
 */

export interface CopySide {
  store: ObjectStore;
  bucket: string;
  service: string;
}

export interface CopyPlan {
  method: 'server' | 'stream';
  source: CopySide;
  destination: CopySide;
  ifExists: IfDestinationExists;
  move: boolean;
  /** Migration tuning (method `stream`), with the signal, log and checkpoints. */
  stream: MigrateTuning;
  /** Server-side copy tuning (method `server`). */
  server: VerifiedCopyOptions;
}

const url = (side: CopySide, key: string): string => `${side.store.provider}://${side.bucket}/${key}`;

/** One object; failures become a `failed` (or `exists`) report, cancellation is thrown. */
export async function copyOne(plan: CopyPlan, sourceKey: string, targetKey: string): Promise<CopyReport> {
  const names = { source: url(plan.source, sourceKey), target: url(plan.destination, targetKey) };
  try {
    return plan.method === 'server' ? await serverCopy(plan, sourceKey, targetKey, names) : await streamCopy(plan, sourceKey, targetKey, names);
  } catch (error) {
    if (isCancelled(error)) throw error;
    const base = { ...names, size: 0, method: plan.method === 'server' ? ('copy' as const) : ('stream' as const), parts: 0, sourceCrc64: null, targetCrc64: null, verified: false };
    if (error instanceof DestinationExistsError || error instanceof ServerDestinationExists) {
      const reason = `${names.target} exists; pass --overwrite (--if-exists overwrite) to replace it or --if-exists skip to leave it`;
      return { ...base, outcome: 'exists', reason, error };
    }
    return { ...base, outcome: 'failed', reason: (error as Error).message, error };
  }
}

async function streamCopy(plan: CopyPlan, sourceKey: string, targetKey: string, names: { source: string; target: string }): Promise<CopyReport> {
  const r = await migrateObject({
    ...plan.stream,
    ifExists: plan.ifExists,
    source: { ...plan.source, key: sourceKey },
    destination: { ...plan.destination, key: targetKey },
  });
  const sourceDeleted = plan.move && r.outcome === 'copied' ? await deleteIfVerified(plan, sourceKey, r.verified) : undefined;
  return {
    ...names,
    size: r.size,
    method: 'stream',
    parts: r.parts,
    sourceCrc64: r.sourceCrc64 ?? null,
    streamCrc64: r.streamCrc64 ?? null,
    targetCrc64: r.destinationCrc64 ?? null,
    verified: r.verified,
    outcome: r.outcome === 'skipped' ? 'skipped' : r.verified ? 'verified' : 'not-verified',
    ...(r.reason ? { reason: r.reason } : {}),
    ...(sourceDeleted !== undefined ? { sourceDeleted } : {}),
    retriedParts: r.retriedParts,
    resumedParts: r.resumedParts,
  };
}

/** Move = verified copy, then delete the source: never after an unverified one. */
async function deleteIfVerified(plan: CopyPlan, key: string, verified: boolean): Promise<boolean> {
  if (!verified) return false;
  await plan.source.store.deleteObject(plan.source.bucket, key, { signal: plan.stream.signal });
  return true;
}

async function serverCopy(plan: CopyPlan, sourceKey: string, targetKey: string, names: { source: string; target: string }): Promise<CopyReport> {
  const from = { bucket: plan.source.bucket, key: sourceKey };
  const to = { bucket: plan.destination.bucket, key: targetKey };
  const options = { ...plan.server, overwrite: plan.ifExists === 'overwrite' };
  let r;
  try {
    r = plan.move ? await moveObjectVerified(plan.source.store, from, to, options) : await copyObjectVerified(plan.source.store, from, to, options);
  } catch (err) {
    if (!(err instanceof ServerDestinationExists && plan.ifExists === 'skip')) throw err;
    return { ...names, size: err.existing.size, method: 'copy', parts: 0, sourceCrc64: null, targetCrc64: err.existing.crc64 ?? null, verified: false, outcome: 'skipped', reason: 'the destination already exists; left as it was' };
  }
  return {
    ...names,
    size: r.size,
    method: r.method,
    parts: r.parts,
    sourceCrc64: r.sourceCrc64 ?? null,
    targetCrc64: r.targetCrc64 ?? null,
    verified: r.verified,
    outcome: r.verified ? 'verified' : 'not-verified',
    ...(r.reason ? { reason: r.reason } : {}),
    ...('sourceDeleted' in r ? { sourceDeleted: (r as MoveOutcome).sourceDeleted } : {}),
  };
}

/** Every object under the source prefix, `objects` at a time; `x/k` lands at `<target prefix>k`. */
export async function copyPrefix(plan: CopyPlan, sourcePrefix: string, targetPrefix: string, objects: number): Promise<CopyReport[]> {
  const reports: CopyReport[] = [];
  await runLimited(
    objectsUnder(plan.source.store, plan.source.bucket, sourcePrefix, plan.stream.signal),
    objects,
    async ({ key }) => {
      reports.push(await copyOne(plan, key, targetPrefix + key.slice(sourcePrefix.length)));
    },
    { signal: plan.stream.signal },
  );
  return reports;
}
