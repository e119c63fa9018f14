import * as vscode from 'vscode';
import { runCommand } from '../commands';
import type { CommandId } from '../commandIds';
import type { RemoteLocation } from './remoteUri';

/**
 * Notifications that say what was done to which file(s) and where, with the two actions that lead on:
 * **Reveal in Buckets** (the place, selected in the Buckets view) and **Show Log** (the details).
 */

export const REVEAL_IN_BUCKETS = vscode.l10n.t('Reveal in Buckets');
export const SHOW_LOG = vscode.l10n.t('Show Log');
export const COMMAND_REVEAL = 'bucketIntegrity.revealInBuckets' satisfies CommandId;
export const COMMAND_SHOW_LOG = 'bucketIntegrity.showLog' satisfies CommandId;
/** Opens the Bucket Integrity container (its id is `bucketIntegrity`). */
export const VIEW_CONTAINER_COMMAND = 'workbench.view.extension.bucketIntegrity';

export type NoticeLevel = 'info' | 'warning' | 'error';

/** A message as shown: its text, its buttons, and the place Reveal in Buckets selects. */
export interface Notice {
  level: NoticeLevel;
  message: string;
  actions: string[];
  reveal?: RemoteLocation;
}

const NOTICES_KEPT = 20;
const recent: Notice[] = [];
/** What each recent notice's buttons do: a click, or the API's `chooseNoticeAction`, runs the same. */
const choosers = new WeakMap<Notice, (action: string) => Promise<void>>();

/** The last messages `notify` showed, newest first (the extension's API hands them to tests). */
export function recentNotices(): readonly Notice[] {
  return recent;
}

export interface NoticeOptions {
  /** Where the result is in a bucket: offers Reveal in Buckets. */
  reveal?: RemoteLocation;
  /** Offers Show Log (default true). */
  log?: boolean;
  /** Actions of the message's own, offered first (e.g. Open Report): label → what it runs. */
  actions?: Readonly<Record<string, () => unknown>>;
}

/**
 * Shows the message (not awaited by callers that go on) and runs the action picked. Resolves to the
 * action picked, if any.
 */
export async function notify(level: NoticeLevel, message: string, options: NoticeOptions = {}): Promise<string | undefined> {
  const own = options.actions ?? {};
  const actions = [...Object.keys(own), ...(options.reveal ? [REVEAL_IN_BUCKETS] : []), ...(options.log !== false ? [SHOW_LOG] : [])];
  const notice: Notice = { level, message, actions, ...(options.reveal ? { reveal: { ...options.reveal } } : {}) };
  const choose = async (pick: string | undefined): Promise<void> => {
    if (pick !== undefined && Object.hasOwn(own, pick)) await own[pick]();
    else if (pick === REVEAL_IN_BUCKETS) await runCommand(COMMAND_REVEAL, options.reveal);
    if (pick === SHOW_LOG) await runCommand(COMMAND_SHOW_LOG);
  };
  choosers.set(notice, choose);
  recent.unshift(notice);
  recent.length = Math.min(recent.length, NOTICES_KEPT);
  const show =
    level === 'error'
      ? vscode.window.showErrorMessage
      : level === 'warning'
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  const pick = await show(message, ...actions);
  await choose(pick);
  return pick;
}

/** Runs a button of one of the recent notices (`recentNotices()[index]`), as a click on it does. */
export async function chooseNoticeAction(index: number, action: string): Promise<void> {
  const notice = recent[index];
  if (!notice || !notice.actions.includes(action)) throw new Error(vscode.l10n.t('Notice {0} has no action "{1}".', index, action));
  await choosers.get(notice)?.(action);
}

/** `profile:bucket/key` — how a place in a bucket is named in messages (as Copy To… names it). */
export function placeText(location: { profile: string; bucket: string; key?: string }): string {
  return `${location.profile}:${location.bucket}/${location.key ?? ''}`;
}

/** The folder every key is in ('' for the bucket root), for naming where a batch went. */
export function commonFolder(keys: readonly string[]): string {
  let prefix = keys[0]?.slice(0, keys[0].lastIndexOf('/') + 1) ?? '';
  for (const k of keys) while (!k.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  return prefix;
}
