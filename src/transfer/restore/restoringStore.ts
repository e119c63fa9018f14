import * as l10n from '@vscode/l10n';
import { isRestorable } from '../../storage/capabilities';
import { StorageError } from '../../storage/errors';
import { readability, type RestoreOutcome, type RestoreRequest } from '../../storage/objectState';
import type { ObjectStore } from '../../storage/types';
import { CancelledError } from '../../util/errors';

/**
 * Reads of archived objects that restore them first. A store wrapped here answers a GET (or a copy) that
 * the service refused as archived by asking for a restore, waiting until the copy is readable, and trying
 * once more; everything else passes through unchanged, capabilities included. One home for "restore,
 * track, continue", shared by the CLI's `--restore` and the editor's Restore….
 */

/** What a restore went through, for a progress line. */
export type RestoreEvent =
  | { kind: 'requested'; bucket: string; key: string; outcome: RestoreOutcome; request: RestoreRequest }
  | { kind: 'waiting'; bucket: string; key: string; elapsedMs: number }
  | { kind: 'readable'; bucket: string; key: string; expiry?: Date };

/** One restore event in words (without the key), as the CLI and the editor both show it. */
export function restoreEventText(e: RestoreEvent): string {
  switch (e.kind) {
    case 'requested': {
      const said = {
        started: () => l10n.t('restore requested'),
        'in-progress': () => l10n.t('a restore is already running'),
        extended: () => l10n.t('already restored; kept readable longer'),
      }[e.outcome]();
      return e.request.days === 1
        ? l10n.t('archived, {0} ({1}, {2} day)', said, e.request.tier, e.request.days)
        : l10n.t('archived, {0} ({1}, {2} days)', said, e.request.tier, e.request.days);
    }
    case 'waiting':
      return l10n.t('restoring… ({0} s)', Math.round(e.elapsedMs / 1000));
    case 'readable':
      return e.expiry ? l10n.t('restored, readable until {0}', e.expiry.toISOString()) : l10n.t('restored');
  }
}

export interface RestorePolicy {
  request: RestoreRequest;
  /** How often the restore state is read while it runs, in ms. Default 30 s (services take minutes to hours). */
  pollMs?: number;
  onEvent?: (event: RestoreEvent) => void;
  signal?: AbortSignal;
}

/** A restore whose copy stopped being readable before the read could use it. */
export function restoreExpiredError(bucket: string, key: string, days: number): StorageError {
  return new StorageError(
    'archived',
    days === 1
      ? l10n.t('The restored copy of {0} (bucket {1}) expired before it could be read in full (restored for {2} day).', key, bucket, days)
      : l10n.t('The restored copy of {0} (bucket {1}) expired before it could be read in full (restored for {2} days).', key, bucket, days),
    l10n.t('Restore it again for more days; nothing was written from it.'),
  );
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Ask for a restore of one object and wait until its copy is readable. Fails with `not-archived` for an
 * object that needs none, `not-supported` for a store without the capability, and the expired error
 * when the copy was gone again before it was seen readable.
 */
export async function restoreAndWait(store: ObjectStore, bucket: string, key: string, policy: RestorePolicy): Promise<void> {
  if (!isRestorable(store)) {
    throw new StorageError(
      'not-supported',
      l10n.t('{0} cannot restore {1} from this connection.', store.provider.toUpperCase(), key),
      l10n.t('Restore it in the console of the service.'),
    );
  }
  const { request, signal } = policy;
  const outcome = await store.restoreObject(bucket, key, request, { signal });
  policy.onEvent?.({ kind: 'requested', bucket, key, outcome, request });
  const started = Date.now();
  for (;;) {
    const info = await store.head(bucket, key, { signal });
    const state = readability(info);
    if (state === 'restored' || state === 'readable') {
      policy.onEvent?.({ kind: 'readable', bucket, key, expiry: info.restore?.expiry });
      return;
    }
    // Archived again after a restore was accepted: its copy expired before it was read.
    if (state === 'archived') {
      throw restoreExpiredError(bucket, key, request.days);
    }
    policy.onEvent?.({ kind: 'waiting', bucket, key, elapsedMs: Date.now() - started });
    await sleep(policy.pollMs ?? 30_000, signal);
  }
}

/** Whether a failure is the service refusing to read an archived object. */
function isArchived(err: unknown): boolean {
  return err instanceof StorageError && err.kind === 'archived';
}

/** The methods that read an object's bytes, and where their source is in the arguments. */
const READS: Record<string, (args: unknown[]) => { bucket: string; key: string }> = {
  get: (a) => ({ bucket: a[0] as string, key: a[1] as string }),
  copyObject: (a) => ({ bucket: a[0] as string, key: a[1] as string }),
  uploadPartCopy: (a) => {
    const source = a[4] as { srcBucket: string; srcKey: string };
    return { bucket: source.srcBucket, key: source.srcKey };
  },
};

/** `store`, with reads of archived objects restored first (see the file's comment). */
export function restoringStore<S extends ObjectStore>(store: S, policy: RestorePolicy): S {
  const pending = new Map<string, Promise<void>>();
  const restoreOnce = (bucket: string, key: string): Promise<void> => {
    // Parallel reads of one object (parts of a copy) share one restore.
    const id = `${bucket}\n${key}`;
    let p = pending.get(id);
    if (!p) {
      p = restoreAndWait(store, bucket, key, policy).finally(() => pending.delete(id));
      pending.set(id, p);
    }
    return p;
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const source = typeof prop === 'string' ? READS[prop] : undefined;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      if (!source) return bound;
      return async (...args: unknown[]) => {
        try {
          return await bound(...args);
        } catch (err) {
          if (!isArchived(err)) throw err;
          const { bucket, key } = source(args);
          await restoreOnce(bucket, key);
          try {
            return await bound(...args);
          } catch (again) {
            if (isArchived(again)) throw restoreExpiredError(bucket, key, policy.request.days);
            throw again;
          }
        }
      };
    },
  });
}
