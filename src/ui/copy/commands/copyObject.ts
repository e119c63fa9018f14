import * as vscode from 'vscode';
import { DestinationExistsError as ServerDestinationExists } from '../../../transfer/copy/types';
import { verifyCopyByStreaming } from '../../../transfer/copy/verifiedCopy';
import { DestinationExistsError as MigrationDestinationExists } from '../../../transfer/migrate';
import { formatBytes } from '../../../util/format';
import { remoteTargetOf } from '../../shared/commandArgs';
import { withCancellableProgress } from '../../shared/progress';
import type { CopyFeature } from '../context';
import { destinationOf, type Destination, type DestinationArg } from '../destination';
import { copyRouted, removeSource, type CopyPlace, type RoutedOutcome } from '../route';
import { notify } from '../../shared/notify';
import { runCommand } from '../../commands';
import { checkReportText, reportTime } from '../../../integrity/report';
import { countVerdicts } from '../../../integrity/verdict';
import { IntegrityError, isCancelled } from '../../../util/errors';
import type { ResultRow } from '../../../integrity/results';
import type { RemoteTarget } from '../../shared/commandArgs';
import type { FolderCopyOutcome } from './copyFolder';
import { handleArchivedSource, type ArchivedSourceArgs } from '../archivedSource';
import { restoreRequestOf } from '../../shared/restoreFlow';
import { atVersion } from '../../../storage/versions';

export interface CopyArgs {
  /** `{ profile?, bucket, key }` of the destination, or `bucket/key` in the source's profile; asked for when absent. */
  destination?: DestinationArg;
  /** Replace an existing destination without asking. */
  overwrite?: boolean;
}

type Args = CopyArgs & ArchivedSourceArgs;

const VERIFY = vscode.l10n.t('Verify by Streaming');

/**
 * `bucketIntegrity.copyObject` ("Copy To… (Verified)") and `bucketIntegrity.moveObject` ("Move or
 * Rename… (Verified)") on an object of the Buckets view, into any profile: a server-side copy within one
 * cloud and account, a streamed migration otherwise (the core's `copyMethodFor`), checked by CRC-64; a
 * move deletes the source only after a verified copy. Resolves to the outcome.
 */
export async function copyOrMove(
  feature: CopyFeature,
  move: boolean,
  node?: unknown,
  args: Args = {},
): Promise<RoutedOutcome | FolderCopyOutcome | undefined> {
  const source = remoteTargetOf(node);
  // A folder: every object copied, then the two prefixes audited (a move deletes only what that proved).
  if (source?.isPrefix && source.key !== '')
    return (await import('./copyFolder')).copyFolder(feature, move, source, args.destination, restoreRequestOf(args.restore));
  if (!source || source.isPrefix || source.key === '') {
    void vscode.window.showInformationMessage(
      move
        ? vscode.l10n.t('Pick an object in the Buckets view to move it.')
        : vscode.l10n.t('Pick an object in the Buckets view to copy it.'),
    );
    return undefined;
  }
  // One version (a version node of a versioned bucket): copied as that version, never moved.
  const versionId = versionIdOf(node);
  if (versionId !== undefined && move) {
    void vscode.window.showInformationMessage(vscode.l10n.t('A version is copied, never moved: use Copy To… on it.'));
    return undefined;
  }
  const target = await destinationOf(feature, source, args.destination, move);
  if (!target) return undefined;
  const { from, to } = await placesOf(feature, source, target, versionId);
  const run = (overwrite: boolean) =>
    withCancellableProgress(
      move ? vscode.l10n.t('Moving {0} to {1}', source.key, where(target)) : vscode.l10n.t('Copying {0} to {1}', source.key, where(target)),
      (signal, report) =>
        copyRouted(from, to, {
          move,
          overwrite,
          signal,
          checkpoints: feature.migrationCheckpoints,
          log: (line) => feature.log.info(line),
          onProgress: (done, total) => report(vscode.l10n.t('{0} of {1}', formatBytes(done), formatBytes(total))),
        }),
    );
  const job: ObjectJob = { feature, move, source, target, args, versionId };
  let outcome;
  let overwrite = args.overwrite ?? false;
  try {
    outcome = await replacingOnAsk(
      (replace) => {
        overwrite = replace;
        return run(replace);
      },
      target,
      overwrite,
    );
  } catch (caught) {
    // An archived source: Restore… (offered, or as the arguments ask), then this copy again.
    const handled = await handleArchivedSource(feature, caught, source, move, args, (restored) =>
      copyOrMove(feature, move, node, { destination: target, overwrite, restored }),
    );
    if ('value' in handled) return handled.value;
    const err = handled.rethrow;
    // A copy whose CRC-64 differed was removed: the row points at the source, which is still there.
    if (!isCancelled(err))
      publish(job, { status: err instanceof IntegrityError ? 'differ' : 'error', detail: (err as Error).message }, source);
    throw err;
  }
  if (!outcome) return undefined;
  finished(job, { from, to }, outcome);
  return outcome;
}

/** Both sides as the route takes them: the source at its version when one was picked. */
async function placesOf(
  feature: CopyFeature,
  source: RemoteTarget,
  target: Destination,
  versionId: string | undefined,
): Promise<{ from: CopyPlace; to: CopyPlace }> {
  const [from, to] = await Promise.all(
    [source, target].map(async (p) => ({
      store:
        p === source && versionId !== undefined
          ? atVersion(await feature.services.storeFor(p.profile), source.bucket, source.key, versionId)
          : await feature.services.storeFor(p.profile),
      endpoint: await feature.endpointOf(p.profile),
      bucket: p.bucket,
      key: p.key,
    })),
  );
  return { from, to };
}

/** A copy done: its run in the Results view, the log line, the folders that changed refreshed, and the notice. */
function finished(job: ObjectJob, places: { from: CopyPlace; to: CopyPlace }, outcome: RoutedOutcome): void {
  const { feature, move, source, target } = job;
  publish(
    job,
    outcome.verified
      ? { status: 'match', detail: vscode.l10n.t('CRC-64 {0}', String(outcome.targetCrc64)) }
      : { status: 'no-crc', ...(outcome.reason ? { detail: outcome.reason } : {}) },
    target,
  );
  const how = outcome.method === 'server' ? 'server-side' : 'streamed';
  feature.log.info(
    `${move ? 'Move' : 'Copy'} (${how}) ${source.profile}:${source.bucket}/${source.key} → ${where(target)}: ${outcome.verified ? `verified (CRC-64 ${outcome.targetCrc64})` : `not verified (${outcome.reason})`}.`,
  );
  // The destination's folder shows the copy; a moved source's folder no longer shows the source.
  const changed = [target, ...(outcome.sourceDeleted ? [source] : [])];
  for (const place of changed)
    void runCommand('bucketIntegrity.refreshNode', { profile: place.profile, bucket: place.bucket, prefix: parentPrefix(place.key) });
  void tell(feature, places, outcome, move, target);
}

/** The version a version node of the tree stands for (not a delete marker), or undefined for anything else. */
function versionIdOf(node: unknown): string | undefined {
  const n = node as { kind?: unknown; version?: { versionId?: unknown; deleteMarker?: unknown } } | undefined;
  return n?.kind === 'version' && !n.version?.deleteMarker && typeof n.version?.versionId === 'string' ? n.version.versionId : undefined;
}

/** One object's copy or move, its destination chosen. */
interface ObjectJob {
  feature: CopyFeature;
  move: boolean;
  source: RemoteTarget;
  target: Destination;
  args: CopyArgs;
  /** The version copied (a version node), or undefined for the current object. */
  versionId?: string;
}

/** The copy; when its destination exists (and replacing was not said), once more if the user agrees to replace it. */
async function replacingOnAsk<T>(run: (overwrite: boolean) => Promise<T>, target: Destination, overwrite: boolean): Promise<T | undefined> {
  try {
    return await run(overwrite);
  } catch (err) {
    if (!(err instanceof ServerDestinationExists || err instanceof MigrationDestinationExists)) throw err;
    const pick = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists. Replace it?', where(target)),
      { modal: true },
      vscode.l10n.t('Replace'),
    );
    if (pick !== vscode.l10n.t('Replace')) return undefined;
    return run(true);
  }
}

/** The run in the Results view: its one row, its report, and (a copy only) how to run it again. */
function publish(job: ObjectJob, row: Pick<ResultRow, 'status' | 'detail'>, at: RemoteTarget | Destination): void {
  const { feature, move, source, target, args, versionId } = job;
  const line = { status: row.status, path: where(target), ...(row.detail ? { detail: row.detail } : {}) };
  const report = checkReportText(
    {
      title: move ? vscode.l10n.t('Move') : vscode.l10n.t('Copy'),
      fields: [
        [vscode.l10n.t('Source'), `${source.profile}:${source.bucket}/${source.key}`],
        [vscode.l10n.t('Destination'), where(target)],
        [vscode.l10n.t('Checked'), reportTime(new Date())],
      ],
      counts: countVerdicts([line]),
      noun: ['object', 'objects'],
    },
    [line],
  );
  feature.services.results.add({
    kind: 'copy',
    title: `${move ? 'Move' : 'Copy'}: ${source.bucket}/${source.key}${versionId !== undefined ? ` (version ${versionId})` : ''} → ${where(target)}`,
    at: new Date(),
    rows: [{ ...line, profile: at.profile, bucket: at.bucket, key: at.key }],
    report,
    // A move cannot run again: its source may be gone.
    ...(move
      ? {}
      : {
          replay: {
            source:
              versionId !== undefined
                ? { kind: 'version', location: { profile: source.profile, bucket: source.bucket, key: source.key }, version: { versionId } }
                : { profile: source.profile, bucket: source.bucket, key: source.key },
            args: { ...args, destination: target },
          },
        }),
  });
}

/** `bucket/key`, with the profile in front: the destination may be in another one. */
function where(target: Destination): string {
  return `${target.profile}:${target.bucket}/${target.key}`;
}

/** Tells the result; a server-side "copied, not verified" offers to verify by streaming (and then delete a moved source). */
async function tell(
  feature: CopyFeature,
  places: { from: CopyPlace; to: CopyPlace },
  outcome: RoutedOutcome,
  move: boolean,
  target: Destination,
): Promise<void> {
  const { source } = outcome;
  const how = outcome.method === 'server' ? vscode.l10n.t('server-side') : vscode.l10n.t('streamed');
  if (outcome.verified && move && !outcome.sourceDeleted) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Copied {0} to {1} ({2}): CRC-64 verified ({3}), but the source was kept: {4}.',
        source.key,
        where(target),
        how,
        String(outcome.targetCrc64),
        String(outcome.keptBecause),
      ),
    );
    return;
  }
  if (outcome.verified) {
    void notify(
      'info',
      move
        ? vscode.l10n.t('Moved {0} to {1} ({2}): CRC-64 verified ({3}).', source.key, where(target), how, String(outcome.targetCrc64))
        : vscode.l10n.t('Copied {0} to {1} ({2}): CRC-64 verified ({3}).', source.key, where(target), how, String(outcome.targetCrc64)),
      {
        reveal: { profile: target.profile, bucket: target.bucket, key: target.key },
        log: false,
      },
    );
    return;
  }
  const kept = move ? ` ${vscode.l10n.t('The source was kept.')}` : '';
  const message = vscode.l10n.t(
    'Copied {0} to {1} ({2}), not verified: {3}.{4}',
    source.key,
    where(target),
    how,
    outcome.reason ?? '',
    kept,
  );
  // A streamed copy already read every byte: streaming it again would say nothing new.
  if (outcome.method === 'stream') {
    void vscode.window.showWarningMessage(message);
    return;
  }
  const pick = await vscode.window.showWarningMessage(message, VERIFY);
  if (pick !== VERIFY) return;
  const store = places.from.store;
  const check = await withCancellableProgress(vscode.l10n.t('Verifying {0} by streaming', target.key), (signal) =>
    verifyCopyByStreaming(store, source, outcome.target, signal),
  );
  if (!check) return;
  if (!check.verified) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0} differs from its source (CRC-64 {1}, source {2}).', where(target), check.targetCrc64, check.sourceCrc64),
    );
    return;
  }
  // The same rule as any move: the source goes only if it is still the object that was copied.
  const removal = move ? await removeSource(places.from, places.to, outcome.sourceInfo) : undefined;
  const after = !removal
    ? ''
    : removal.sourceDeleted
      ? vscode.l10n.t('; the source was deleted')
      : vscode.l10n.t('; the source was kept: {0}', removal.keptBecause ?? '');
  feature.log.info(`Streamed check of ${where(target)}: CRC-64 ${check.targetCrc64} verified${after}.`);
  const said = vscode.l10n.t('{0} verified by streaming (CRC-64 {1}){2}.', where(target), check.targetCrc64, after);
  void (removal && !removal.sourceDeleted ? vscode.window.showWarningMessage(said) : vscode.window.showInformationMessage(said));
}

function parentPrefix(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}
