import * as l10n from '@vscode/l10n';
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { crc64, crc64Combine, formatCrc64, parseCrc64 } from '../../crc';
import { StorageError } from '../../storage/errors';
import { IntegrityError, throwIfAborted } from '../../util/errors';
import { isTransientError } from '../../storage/retry';
import { prefixCrc, readRange } from './localFile';
import { AppendMismatchError, type AppendableStore, type AppendOptions, type AppendResult, DEFAULT_APPEND_CHUNK } from './types';
import { retryBudget } from '../retryBudget';

/**
 * Append the new bytes of a growing local file to an OSS appendable object, from the object's current
 * length. Nothing already stored is read again: the local file's first N bytes must have the object's
 * CRC-64 (else nothing is appended), and after each append the service's whole-object CRC-64 must equal
 * `crc64Combine(previous CRC, CRC of the appended bytes, their length)`.
 *
 * A position conflict (the object grew meanwhile) or a lost answer is settled by reading the position
 * again: when the object is still the start of the file (our append had landed, or another writer
 * appended the same bytes) appending goes on from there, never sending a chunk twice; otherwise it stops.
 *
 * Throws `AppendMismatchError`, `IntegrityError`, `StorageError` or `CancelledError`.
 */
export async function appendFile(store: AppendableStore, options: AppendOptions): Promise<AppendResult> {
  throwIfAborted(options.signal);
  const path = resolve(options.localPath);
  const localSize = (await fs.stat(path)).size;
  const state = await objectState(store, options);
  await checkPrefix(path, localSize, state, options);
  const previousSize = state.position;
  const handle = await fs.open(path, 'r');
  let appends = 0;
  let conflicts = 0;
  let unverified = false;
  try {
    const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_APPEND_CHUNK);
    while (state.position < localSize) {
      throwIfAborted(options.signal);
      const length = Math.min(chunkSize, localSize - state.position);
      const body = await readRange(handle, state.position, length);
      const expected = crc64Combine(state.crc, crc64(body), length);
      const sent = await appendOnce(store, options, state, body, expected);
      if (sent === 'conflict') {
        if (++conflicts > retryBudget('appendConflicts', options.conflictRetries))
          throw new Error(l10n.t('{0} keeps growing under another writer; stopped appending.', options.key));
        await settleConflict(store, path, localSize, state, options);
        continue;
      }
      appends++;
      if (sent === 'unverified') unverified = true;
      state.position += length;
      state.crc = expected;
      options.onProgress?.({ bytesDone: state.position - previousSize, bytesTotal: localSize - previousSize });
    }
  } finally {
    await handle.close();
  }
  const base = {
    bucket: options.bucket,
    key: options.key,
    path,
    previousSize,
    size: state.position,
    appendedBytes: state.position - previousSize,
    appends,
    conflicts,
    crc64: formatCrc64(state.crc),
  };
  const outcome = state.position > previousSize ? ('appended' as const) : ('up-to-date' as const);
  if (unverified || state.remote === undefined) {
    return { ...base, verified: false, outcome, reason: l10n.t('the service returned no CRC-64 for the object') };
  }
  return { ...base, remoteCrc64: formatCrc64(state.remote), verified: true, outcome };
}

interface ObjectState {
  /** The object's length: where the next append starts. */
  position: number;
  /** The object's CRC-64 as we know it (combined, or as the service last said). */
  crc: bigint;
  /** The last CRC-64 the service gave. */
  remote?: bigint;
}

async function objectState(store: AppendableStore, options: AppendOptions): Promise<ObjectState> {
  try {
    const info = await store.head(options.bucket, options.key, { signal: options.signal });
    const remote = parseCrc64(info.crc64);
    if (remote === undefined && info.size > 0) {
      throw new AppendMismatchError(
        l10n.t('{0} has no CRC-64, so the local file cannot be checked against it; nothing was appended.', options.key),
      );
    }
    return { position: info.size, crc: remote ?? 0n, remote: remote ?? 0n };
  } catch (err) {
    // No object yet: the first append creates an appendable one.
    if (err instanceof StorageError && err.kind === 'no-such-key') return { position: 0, crc: 0n, remote: 0n };
    throw err;
  }
}

async function checkPrefix(path: string, localSize: number, state: ObjectState, options: AppendOptions): Promise<void> {
  if (localSize < state.position) {
    throw new AppendMismatchError(
      l10n.t('{0} ({1} bytes) is shorter than {2} ({3} bytes); nothing was appended.', path, localSize, options.key, state.position),
    );
  }
  const local = await prefixCrc(path, state.position, options.signal);
  if (local !== state.crc) {
    throw new AppendMismatchError(
      l10n.t(
        'The first {0} bytes of {1} (CRC-64 {2}) are not those of {3} (CRC-64 {4}); nothing was appended.',
        state.position,
        path,
        formatCrc64(local),
        options.key,
        formatCrc64(state.crc),
      ),
    );
  }
}

/** One AppendObject; `conflict` when the position was not the object's length, or the answer was lost. */
async function appendOnce(
  store: AppendableStore,
  options: AppendOptions,
  state: ObjectState,
  body: Buffer,
  expected: bigint,
): Promise<'verified' | 'unverified' | 'conflict'> {
  let res;
  try {
    res = await store.appendObject(options.bucket, options.key, state.position, body, { signal: options.signal });
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'position-conflict') return 'conflict';
    // A lost answer may hide an append that landed: read the position rather than send it twice.
    if (isTransientError(err) && !options.signal?.aborted) {
      options.log?.(`${options.key}: ${(err as Error).message}; reading the position again`);
      return 'conflict';
    }
    throw err;
  }
  if (res.nextPosition !== state.position + body.length) {
    throw new IntegrityError(
      l10n.t('After appending {0} bytes at {1}, {2} is {3} bytes long.', body.length, state.position, options.key, res.nextPosition),
    );
  }
  const remote = parseCrc64(res.crc64);
  state.remote = remote;
  if (remote === undefined) return 'unverified';
  if (remote !== expected) return judgeStored(store, options, state, body.length, expected, remote);
  return 'verified';
}

/**
 * The answer's CRC-64 is not previous + appended: the answer may be wrong, or the object. The stored
 * object decides — its length and CRC-64 read again — so an intact object is never called damaged.
 */
async function judgeStored(
  store: AppendableStore,
  options: AppendOptions,
  state: ObjectState,
  length: number,
  expected: bigint,
  answered: bigint,
): Promise<'verified'> {
  const info = await store.head(options.bucket, options.key, { signal: options.signal });
  const stored = parseCrc64(info.crc64);
  if (info.size === state.position + length && stored === expected) {
    options.log?.(
      `${options.key}: the append's answer gave CRC-64 ${formatCrc64(answered)}, but the stored object is intact ` +
        `(CRC-64 ${formatCrc64(stored)}, read again).`,
    );
    state.remote = stored;
    return 'verified';
  }
  throw new IntegrityError(
    stored === undefined
      ? l10n.t(
          'After the append at {0}, {1} is stored without a CRC-64 ({2} bytes) but previous + appended bytes give {3}. The object is damaged; upload the file again.',
          state.position,
          options.key,
          info.size,
          formatCrc64(expected),
        )
      : l10n.t(
          'After the append at {0}, {1} is stored with CRC-64 {2} ({3} bytes) but previous + appended bytes give {4}. The object is damaged; upload the file again.',
          state.position,
          options.key,
          formatCrc64(stored),
          info.size,
          formatCrc64(expected),
        ),
    formatCrc64(expected),
    stored === undefined ? formatCrc64(answered) : formatCrc64(stored),
  );
}

/**
 * Read the position again after a conflict and go on from there only if the object is still a prefix of
 * the local file: an append of ours whose answer was lost, or another writer with the same bytes. No
 * chunk is ever sent twice, and nothing is written after bytes that are not the file's.
 */
async function settleConflict(
  store: AppendableStore,
  path: string,
  localSize: number,
  state: ObjectState,
  options: AppendOptions,
): Promise<void> {
  const now = await objectState(store, options);
  options.log?.(`${options.key}: the object is ${now.position} bytes long now; checking it against the local file.`);
  await checkPrefix(path, localSize, now, options).catch((err: unknown) => {
    throw new AppendMismatchError(l10n.t('Someone else appended to {0}: {1}', options.key, (err as Error).message));
  });
  Object.assign(state, now);
}
