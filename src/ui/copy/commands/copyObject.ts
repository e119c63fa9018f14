import * as vscode from 'vscode';
import { DestinationExistsError, type CopyOutcome, type ObjectRef } from '../../../transfer/copy/types';
import { copyObjectVerified, moveObjectVerified, verifyCopyByStreaming, type MoveOutcome } from '../../../transfer/copy/verifiedCopy';
import { formatBytes } from '../../../util/format';
import { remoteTargetOf } from '../../shared/commandArgs';
import { withCancellableProgress } from '../../shared/progress';
import { parseDestination, type CopyFeature } from '../context';

export interface CopyArgs {
  /** `{ bucket, key }` of the destination, or `bucket/key`; asked for when absent. */
  destination?: ObjectRef | string;
  /** Replace an existing destination without asking. */
  overwrite?: boolean;
}

const VERIFY = 'Verify by Streaming';

/**
 * `bucketIntegrity.copyObject` ("Copy To… (Verified)") and `bucketIntegrity.moveObject` ("Move or
 * Rename… (Verified)") on an object of the Buckets view: a server-side copy checked by CRC-64; a move
 * deletes the source only after a verified copy. Resolves to the outcome.
 */
export async function copyOrMove(feature: CopyFeature, move: boolean, node?: unknown, args: CopyArgs = {}): Promise<CopyOutcome | MoveOutcome | undefined> {
  const source = remoteTargetOf(node);
  if (!source || source.isPrefix || source.key === '') {
    void vscode.window.showInformationMessage(`Pick an object in the Buckets view to ${move ? 'move' : 'copy'} it.`);
    return undefined;
  }
  const target = await destinationOf(source, args.destination, move);
  if (!target) return undefined;
  const store = await feature.services.storeFor(source.profile);
  const verb = move ? 'Moving' : 'Copying';
  const run = (overwrite: boolean) =>
    withCancellableProgress(`${verb} ${source.key} to ${target.bucket}/${target.key}`, async (signal, report) => {
      const options = { signal, overwrite, onProgress: (done: number, total: number) => report(`${formatBytes(done)} of ${formatBytes(total)}`) };
      const from = { bucket: source.bucket, key: source.key };
      return move ? moveObjectVerified(store, from, target, options) : copyObjectVerified(store, from, target, options);
    });
  let outcome;
  try {
    outcome = await run(args.overwrite ?? false);
  } catch (err) {
    if (!(err instanceof DestinationExistsError)) throw err;
    const pick = await vscode.window.showWarningMessage(`${target.bucket}/${target.key} already exists. Replace it?`, { modal: true }, 'Replace');
    if (pick !== 'Replace') return undefined;
    outcome = await run(true);
  }
  if (!outcome) return undefined;
  feature.log.info(`${move ? 'Move' : 'Copy'} ${source.bucket}/${source.key} → ${target.bucket}/${target.key}: ${outcome.verified ? `verified (CRC-64 ${outcome.targetCrc64})` : `not verified (${outcome.reason})`}.`);
  // The destination's folder shows the copy; a moved source's folder no longer shows the source.
  const changed = [target, ...('sourceDeleted' in outcome && outcome.sourceDeleted ? [source] : [])];
  for (const place of changed) void vscode.commands.executeCommand('bucketIntegrity.refreshNode', { profile: source.profile, bucket: place.bucket, prefix: parentPrefix(place.key) });
  void tell(feature, source.profile, outcome, move);
  return outcome;
}

async function destinationOf(source: ObjectRef & { profile: string }, given: ObjectRef | string | undefined, move: boolean): Promise<ObjectRef | undefined> {
  if (typeof given === 'object' && given) return given;
  const text =
    typeof given === 'string'
      ? given
      : await vscode.window.showInputBox({
          title: move ? 'Move or rename to (bucket/key)' : 'Copy to (bucket/key)',
          value: `${source.bucket}/${source.key}`,
          valueSelection: [source.bucket.length + 1 + parentPrefix(source.key).length, source.bucket.length + 1 + source.key.length],
          validateInput: (v) => (parseDestination(v) ? undefined : 'Type the bucket, a slash, then the key, e.g. my-bucket/folder/name.txt'),
        });
  if (text === undefined) return undefined;
  const target = parseDestination(text);
  if (!target) throw new Error(`"${text}" is not a destination: type the bucket, a slash, then the key.`);
  return target;
}

/** Tells the result; "copied, not verified" offers to verify by streaming (and then delete a moved source). */
async function tell(feature: CopyFeature, profile: string, outcome: CopyOutcome | MoveOutcome, move: boolean): Promise<void> {
  const { source, target } = outcome;
  if (outcome.verified) {
    void vscode.window.showInformationMessage(`${move ? 'Moved' : 'Copied'} ${source.key} to ${target.bucket}/${target.key}: CRC-64 verified (${outcome.targetCrc64}).`);
    return;
  }
  const kept = move ? ' The source was kept.' : '';
  const pick = await vscode.window.showWarningMessage(`Copied ${source.key} to ${target.bucket}/${target.key}, not verified: ${outcome.reason}.${kept}`, VERIFY);
  if (pick !== VERIFY) return;
  const store = await feature.services.storeFor(profile);
  const check = await withCancellableProgress(`Verifying ${target.key} by streaming`, (signal) => verifyCopyByStreaming(store, source, target, signal));
  if (!check) return;
  if (!check.verified) {
    void vscode.window.showErrorMessage(`${target.bucket}/${target.key} differs from its source (CRC-64 ${check.targetCrc64}, source ${check.sourceCrc64}).`);
    return;
  }
  if (move) await store.deleteObject(source.bucket, source.key);
  feature.log.info(`Streamed check of ${target.bucket}/${target.key}: CRC-64 ${check.targetCrc64} verified${move ? '; source deleted' : ''}.`);
  void vscode.window.showInformationMessage(`${target.bucket}/${target.key} verified by streaming (CRC-64 ${check.targetCrc64})${move ? '; the source was deleted' : ''}.`);
}

function parentPrefix(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}
