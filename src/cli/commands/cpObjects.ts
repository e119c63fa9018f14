import * as l10n from '@vscode/l10n';
import { identityAt } from '../../storage/locationIdentity';
import { isFatalForRun } from '../../storage/errors';
import type { ObjectStore } from '../../storage/types';
import { DestinationExistsError as ServerDestinationExists, type VerifiedCopyOptions } from '../../transfer/copy/types';
import { deleteSourceIfProven, type RemovalOutcome } from '../../transfer/copy/sourceRemoval';
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
  /** Canonical (`serviceOf`): with the bucket and a key, the object's identity. */
  service: string;
}

export interface CopyPlan {
  method: 'server' | 'stream';
  source: CopySide;
  destination: CopySide;
  ifExists: IfDestinationExists;
  /** An existing destination with the source's CRC-64 and size counts as copied (a re-run), not refused. */
  skipIdentical: boolean;
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
    return plan.method === 'server'
      ? await serverCopy(plan, sourceKey, targetKey, names)
      : await streamCopy(plan, sourceKey, targetKey, names);
  } catch (error) {
    if (isCancelled(error)) throw error;
    const base = {
      ...names,
      size: 0,
      method: plan.method === 'server' ? ('copy' as const) : ('stream' as const),
      parts: 0,
      sourceCrc64: null,
      targetCrc64: null,
      verified: false,
    };
    if (error instanceof DestinationExistsError || error instanceof ServerDestinationExists) {
      const same = await identicalCopy(plan, sourceKey, targetKey);
      if (same)
        return {
          ...base,
          ...same,
          verified: true,
          outcome: 'verified',
          reason: l10n.t('already identical (same CRC-64 and size); not copied again'),
        };
      const reason = `${names.target} exists; pass --overwrite (--if-exists overwrite) to replace it or --if-exists skip to leave it`;
      return { ...base, outcome: 'exists', reason, error };
    }
    return { ...base, outcome: 'failed', reason: (error as Error).message, error };
  }
}

/**
 * The destination already holds the source's bytes: both CRC-64s known and equal, sizes equal. Never for a
 * move (its source is deleted only after a copy it made and verified itself).
 */
async function identicalCopy(
  plan: CopyPlan,
  sourceKey: string,
  targetKey: string,
): Promise<Pick<CopyReport, 'size' | 'sourceCrc64' | 'targetCrc64'> | undefined> {
  if (!plan.skipIdentical || plan.move) return undefined;
  const signal = plan.stream.signal;
  const [source, target] = await Promise.all([
    plan.source.store.head(plan.source.bucket, sourceKey, { signal }),
    plan.destination.store.head(plan.destination.bucket, targetKey, { signal }),
  ]);
  if (!source.crc64 || source.crc64 !== target.crc64 || source.size !== target.size) return undefined;
  return { size: source.size, sourceCrc64: source.crc64, targetCrc64: target.crc64 };
}

async function streamCopy(
  plan: CopyPlan,
  sourceKey: string,
  targetKey: string,
  names: { source: string; target: string },
): Promise<CopyReport> {
  const r = await migrateObject({
    ...plan.stream,
    ifExists: plan.ifExists,
    source: { ...plan.source, key: sourceKey },
    destination: { ...plan.destination, key: targetKey },
  });
  const removal =
    plan.move && r.outcome === 'copied' ? await removeSource(plan, sourceKey, targetKey, r.verified, r.sourceInfo) : undefined;
  return {
    ...names,
    size: r.size,
    method: 'stream',
    parts: r.parts,
    sourceCrc64: r.sourceCrc64 ?? null,
    streamCrc64: r.streamCrc64 ?? null,
    targetCrc64: r.destinationCrc64 ?? null,
    verified: r.verified,
    ...judged(r.outcome === 'skipped' ? 'skipped' : r.verified ? 'verified' : 'not-verified', r.reason, removal),
    retriedParts: r.retriedParts,
    resumedParts: r.resumedParts,
  };
}

/** A move's delete, by the one rule (`deleteSourceIfProven`). */
async function removeSource(
  plan: CopyPlan,
  sourceKey: string,
  targetKey: string,
  verified: boolean,
  read: MoveRead,
): Promise<RemovalOutcome> {
  if (!read) return { sourceDeleted: false, keptBecause: l10n.t('the source was not read before the copy') };
  const source = identityAt(plan.source.store.provider, plan.source.service, plan.source.bucket, sourceKey);
  const destination = identityAt(plan.destination.store.provider, plan.destination.service, plan.destination.bucket, targetKey);
  return deleteSourceIfProven(plan.source.store, {
    source,
    destination,
    bucket: plan.source.bucket,
    key: sourceKey,
    read,
    verified,
    signal: plan.stream.signal,
  });
}

type MoveRead = MoveOutcome['info'] | undefined;

/** The outcome and reason of a copy, a move whose source was kept being its own outcome (`kept`). */
function judged(
  outcome: CopyReport['outcome'],
  reason: string | undefined,
  removal: RemovalOutcome | undefined,
): Pick<CopyReport, 'outcome' | 'reason' | 'sourceDeleted'> {
  if (!removal) return { outcome, ...(reason ? { reason } : {}) };
  if (outcome === 'verified' && !removal.sourceDeleted)
    return { outcome: 'kept', reason: l10n.t('the source was kept: {0}', String(removal.keptBecause)), sourceDeleted: false };
  return { outcome, ...(reason ? { reason } : {}), sourceDeleted: removal.sourceDeleted };
}

async function serverCopy(
  plan: CopyPlan,
  sourceKey: string,
  targetKey: string,
  names: { source: string; target: string },
): Promise<CopyReport> {
  const from = { bucket: plan.source.bucket, key: sourceKey };
  const to = { bucket: plan.destination.bucket, key: targetKey };
  const options = { ...plan.server, overwrite: plan.ifExists === 'overwrite' };
  let r;
  try {
    r = plan.move
      ? await moveObjectVerified(plan.source.store, from, to, options)
      : await copyObjectVerified(plan.source.store, from, to, options);
  } catch (err) {
    if (!(err instanceof ServerDestinationExists && plan.ifExists === 'skip')) throw err;
    return {
      ...names,
      size: err.existing.size,
      method: 'copy',
      parts: 0,
      sourceCrc64: null,
      targetCrc64: err.existing.crc64 ?? null,
      verified: false,
      outcome: 'skipped',
      reason: l10n.t('the destination already exists; left as it was'),
    };
  }
  return {
    ...names,
    size: r.size,
    method: r.method,
    parts: r.parts,
    sourceCrc64: r.sourceCrc64 ?? null,
    targetCrc64: r.targetCrc64 ?? null,
    verified: r.verified,
    ...judged(r.verified ? 'verified' : 'not-verified', r.reason, 'sourceDeleted' in r ? (r as MoveOutcome) : undefined),
  };
}

/** Every object under the source prefix, `objects` at a time; `x/k` lands at `<target prefix>k`. */
export async function copyPrefix(plan: CopyPlan, sourcePrefix: string, targetPrefix: string, objects: number): Promise<CopyReport[]> {
  const reports: CopyReport[] = [];
  await runLimited(
    objectsUnder(plan.source.store, plan.source.bucket, sourcePrefix, plan.stream.signal),
    objects,
    async ({ key }) => {
      const report = await copyOne(plan, key, targetPrefix + key.slice(sourcePrefix.length));
      // Keys rejected, access denied, a missing bucket: every other object would fail alike, so stop here.
      if (isFatalForRun(report.error)) throw report.error;
      reports.push(report);
    },
    { signal: plan.stream.signal },
  );
  return reports;
}
