import * as vscode from 'vscode';
import type { RestoreRequest } from '../../storage/objectState';
import type { ObjectStore } from '../../storage/types';
import { restoreAndWait, restoreEventText } from '../../transfer/restore/restoringStore';
import { runLimited } from '../../util/concurrency';
import { askRestoreRequest } from '../shared/restoreFlow';
import { numberSettingOf } from '../shared/settings';
import { userMessage } from '../commands';

/**
 * The archived objects of a folder copy (the service refused their bytes): asked once whether to restore
 * them all (one tier and number of days), restored and tracked together, so the copy goes on with them
 * instead of leaving them as failures.
 */

/** Tier and days for `count` archived objects below `folder`, or undefined when the user declines. */
export async function askFolderRestore(count: number, folder: string): Promise<RestoreRequest | undefined> {
  const action = vscode.l10n.t('Restore…');
  const pick = await vscode.window.showWarningMessage(
    count === 1
      ? vscode.l10n.t('1 object below {0} is archived: its bytes can be copied once it is restored. Restore it and copy it too?', folder)
      : vscode.l10n.t(
          '{0} objects below {1} are archived: their bytes can be copied once they are restored. Restore them and copy them too?',
          count,
          folder,
        ),
    { modal: true },
    action,
  );
  if (pick !== action) return undefined;
  return askRestoreRequest(folder);
}

/**
 * Restores each of `objects` (of `bucket` in `store`) and waits until it is readable, a few at a time.
 * Resolves to the objects now readable; the others are passed to `onFailed` with the reason.
 */
export async function restoreAll<T extends { key: string }>(
  store: ObjectStore,
  bucket: string,
  objects: readonly T[],
  request: RestoreRequest,
  o: { signal: AbortSignal; log(line: string): void; onFailed(object: T, message: string): void; onRestored(done: number): void },
): Promise<T[]> {
  const ready: T[] = [];
  await runLimited(
    objects,
    4,
    async (object) => {
      try {
        await restoreAndWait(store, bucket, object.key, {
          request,
          pollMs: numberSettingOf('restore.pollSeconds') * 1000,
          signal: o.signal,
          onEvent: (e) => {
            if (e.kind !== 'waiting') o.log(`[restore] ${bucket}/${object.key}: ${restoreEventText(e)}`);
          },
        });
        ready.push(object);
        o.onRestored(ready.length);
      } catch (err) {
        if (o.signal.aborted) throw err;
        o.onFailed(object, userMessage(err));
      }
    },
    { signal: o.signal },
  );
  return ready;
}
