import * as l10n from '@vscode/l10n';
import { promises as fs, type Stats } from 'node:fs';
import type { ObjectStore } from '../../storage/types';
import { CancelledError, IntegrityError, isCancelled } from '../../util/errors';
import { localFileIdentity, sameLocalFile, type LocalFileIdentity, type UploadCheckpoint } from '../checkpoint';
import { planParts } from '../planner';
import { abortQuietly } from './cleanup';
import { finish } from './finish';
import { LocalFileChangedError } from './localFile';
import { checkpointTarget, initiate, openOrResume } from './open';
import { uploadParts, type PartsOutcome } from './parts';
import { settleEarlierComplete } from './settle';
import { DEFAULT_PART_SIZE, type UploadOptions, type UploadResult } from './types';

/**
 * A large file as a multipart upload: open-or-resume, the part lanes, then finish (Complete and the
 * verdict). Failures decide what is left behind: a cancel keeps the upload for resume (or aborts it),
 * a part that stays corrupt or a file that changed aborts it, anything else keeps it to resume later.
 */
export async function uploadMultipart(store: ObjectStore, options: UploadOptions, stat: Stats): Promise<UploadResult> {
  const size = stat.size;
  const identity = localFileIdentity(await fs.stat(options.localPath, { bigint: true }));
  const opened = await openOrResume(store, options, identity);
  const kept = opened.resume ?? opened.maybeCompleted;
  const plan = planParts(size, {
    partSize: kept?.partSize ?? options.partSize ?? DEFAULT_PART_SIZE,
    minPartSize: options.minPartSize,
    maxParts: options.maxParts,
  });
  if (plan.raised) options.log?.(`Part size raised to ${plan.partSize} bytes so ${options.localPath} fits in 10,000 parts.`);

  // Opened before the upload is initiated, so an unreadable file never leaves an empty upload behind.
  const handle = await fs.open(options.localPath, 'r');
  try {
    if (opened.maybeCompleted) {
      const settled = await settleEarlierComplete(store, options, opened.maybeCompleted, plan, handle);
      if (settled) return settled;
    }
    const cp = opened.resume ?? (await initiate(store, options, identity, plan.partSize));
    let outcome: PartsOutcome;
    try {
      outcome = await uploadParts({ store, options, plan, size, handle, checkpoint: cp });
    } catch (err) {
      throw await leaveBehind(store, options, cp, err);
    }
    await refuseIfChanged(store, options, cp, identity);
    return await finish(store, options, cp, plan, outcome, size);
  } finally {
    await handle.close();
  }
}

/** After the part lanes failed: abort or keep the upload, and the error to throw. */
async function leaveBehind(store: ObjectStore, options: UploadOptions, cp: UploadCheckpoint, err: unknown): Promise<unknown> {
  const { checkpoints } = options;
  const target = checkpointTarget(store, options);
  const drop = async (): Promise<boolean> => {
    const aborted = await abortQuietly(store, cp, options.log);
    await checkpoints?.delete(target);
    return aborted;
  };
  if (options.signal?.aborted || isCancelled(err)) {
    const keep = checkpoints !== undefined && (options.onCancel ?? 'keep') === 'keep';
    if (!keep) await drop();
    return new CancelledError(
      keep ? l10n.t('Upload paused; it can be resumed.') : l10n.t('Upload cancelled; nothing was left in the bucket.'),
    );
  }
  // A file that changed under the upload cannot be resumed into the object it now is: abort, even for "keep".
  if (err instanceof LocalFileChangedError) {
    const aborted = await drop();
    return new LocalFileChangedError(`${err.message} ${abortedSentence(aborted)}`);
  }
  // A part that stays corrupt cannot be resumed into a good object: abort so nothing is left behind.
  // Other failures (network down after the adapter's retries) keep the checkpoint when there is one.
  if (err instanceof IntegrityError || !checkpoints) await drop();
  return err;
}

function abortedSentence(aborted: boolean): string {
  return aborted
    ? l10n.t('The multipart upload was aborted and its checkpoint removed (a changed file cannot be resumed); upload it again.')
    : l10n.t(
        'The multipart upload could not be aborted (see the log; it expires on the service) and its checkpoint was removed; upload it again.',
      );
}

/**
 * Parts read at different times from a file that was being rewritten would assemble into an object that
 * never existed on disk: check the file is still the one whose parts were sent.
 */
async function refuseIfChanged(
  store: ObjectStore,
  options: UploadOptions,
  cp: UploadCheckpoint,
  identity: LocalFileIdentity,
): Promise<void> {
  if (sameLocalFile(identity, localFileIdentity(await fs.stat(options.localPath, { bigint: true })))) return;
  const aborted = await abortQuietly(store, cp, options.log);
  await options.checkpoints?.delete(checkpointTarget(store, options));
  throw new LocalFileChangedError(
    l10n.t('{0} changed while it was being uploaded; the upload was not completed. {1}', options.localPath, abortedSentence(aborted)),
  );
}
