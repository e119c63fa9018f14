import * as vscode from 'vscode';
import type { RestoreRequest } from '../../storage/objectState';
import { restoreExpiredError } from '../../transfer/restore/restoringStore';
import { isArchivedError, offerRestore, restoreRequestOf, restoreThen, type RestorePlace } from '../shared/restoreFlow';
import type { CopyFeature } from './context';

/**
 * Copy To… / Move… (a server-side copy or a streamed migration) of an archived source: instead of the
 * service's refusal, Restore… is offered (or, with a `restore` argument, done without asking), tracked,
 * and the same copy runs again once the source is readable. Refused again after its restore, the copy
 * was outrun by the restore's expiry: said so; the copy's own checks already left nothing half written.
 */

export interface ArchivedSourceArgs {
  /** Restore an archived source with this tier and days first, without asking (scripts, tests). */
  restore?: RestoreRequest;
  /** Set on the run after a restore: an "archived" refusal now means the restored copy expired. */
  restored?: RestoreRequest;
}

export type ArchivedHandling<T> = { rethrow: unknown } | { value: T | undefined };

/**
 * What to do with a copy's failure `err` on the archived source `place`: the error to throw (not
 * archived, or the restore expired), or what the command resolves to (the offer shown, or the copy run
 * again after the restore asked for).
 */
export async function handleArchivedSource<T>(
  feature: CopyFeature,
  err: unknown,
  place: RestorePlace,
  move: boolean,
  args: ArchivedSourceArgs,
  again: (restored: RestoreRequest) => Promise<T | undefined>,
): Promise<ArchivedHandling<T>> {
  if (!isArchivedError(err)) return { rethrow: err };
  if (args.restored) return { rethrow: restoreExpiredError(place.bucket, place.key, args.restored.days) };
  const services = { storeFor: (name: string) => feature.services.storeFor(name), log: feature.log };
  const request = restoreRequestOf(args.restore);
  if (request) {
    let value: T | undefined;
    const done = await restoreThen(services, place, request, async (request) => {
      value = await again(request);
    });
    return { value: done ? value : undefined };
  }
  feature.log.info(`${place.profile}:${place.bucket}/${place.key} is archived: Restore… offered before the ${move ? 'move' : 'copy'}.`);
  void offerRestore(services, place, move ? vscode.l10n.t('the move') : vscode.l10n.t('the copy'), (request) => again(request));
  return { value: undefined };
}
