import * as vscode from 'vscode';
import type { CrcRecord } from '../../record/record';
import type { ObjectStore } from '../../storage/types';
import { CancelledError } from '../../util/errors';
import { importFor } from './commands/importInventory';
import { ENABLE_BUTTON, noRecordQuestion, objectCount, readInventoryChoice } from '../shared/noRecordQuestion';
import type { VerifyTarget } from './targets';
import type { VerifyFeature } from './verifyFeature';
import { runCommand } from '../commands';

/**
 * The first step of a verify: the newest report of the bucket's CRC inventory into the record (once per
 * report). Then, if the record still knows nothing of the prefix, every object would cost a HEAD: say so,
 * with the number of requests when an inventory tells it, and offer to enable a CRC inventory instead.
 */

/** How a caller (another command, a test) answers the question without a dialog. */
export type NoRecordAnswer = 'head' | 'cancel';

/**
 * Imports the newest CRC inventory report when there is a new one, then, when the record still has
 * nothing below the prefix, asks whether to go on with one HEAD per object (at the stated cost). Throws
 * `CancelledError` when the user backs out.
 */
export async function prepareRecord(
  feature: VerifyFeature,
  target: VerifyTarget,
  store: ObjectStore,
  record: CrcRecord,
  answer?: NoRecordAnswer,
): Promise<void> {
  const choice = await readInventoryChoice(store, target.bucket, target.prefix);
  if (choice?.kind === 'crc64') await importFor(feature, target, store, { auto: true, choice });
  if (record.objects.count({ profile: target.profile, bucket: target.bucket }, target.prefix) > 0) return;
  let pick: NoRecordAnswer;
  if (answer) pick = answer;
  else {
    const objects = await objectCount(store, target.bucket, choice);
    const q = noRecordQuestion(`${target.bucket}/${target.prefix}`, target.bucket, choice, objects);
    const picked = await vscode.window.showWarningMessage(q.text, { modal: true }, ...q.buttons);
    if (picked === ENABLE_BUTTON) {
      void runCommand('bucketIntegrity.enableCrcInventory', { profile: target.profile, bucket: target.bucket });
      throw new CancelledError();
    }
    pick = picked ? 'head' : 'cancel';
  }
  if (pick === 'cancel') throw new CancelledError();
}
