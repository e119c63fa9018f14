import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { StorageError } from '../../../src/storage/errors';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../../src/storage/types';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';

/** What the storage integration tests share: reading bodies, made-up bytes, caught errors, an emulator per suite. */

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `n` pseudo-random bytes (xorshift), the same for the same seed. */
export function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** The error a call failed with; a call that succeeds fails the test. */
export async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** The `StorageError` a call failed with; anything else (or success) fails the test. */
export async function caughtStorage(p: Promise<unknown>): Promise<StorageError> {
  const err = await caught(p);
  if (err instanceof StorageError) return err;
  throw err;
}

export interface Suite {
  readonly emu: Emulator;
  /** The suite's buckets, made on the emulator, in the order of `bases`. */
  readonly buckets: string[];
  readonly store: ObjectStore;
  /** Requests of one operation in the emulator's log since the test began. */
  opsOf(op: string): number;
}

/**
 * An emulator for the suite, with fresh buckets named from `bases` and the project's own adapter for
 * `provider`; faults and the request log are cleared before each test.
 */
export function emulatorSuite(
  provider: ProviderKind,
  bases: string[],
  options: { minPartSize?: number; connection?: Partial<ConnectionOptions> } = {},
): Suite {
  const state: { emu?: Emulator; buckets: string[]; store?: ObjectStore } = { buckets: [] };
  beforeAll(async () => {
    state.emu = await startTestEmulator({ minPartSize: options.minPartSize });
    const make = provider === 'cos' ? makeCosBucket : makeOssBucket;
    for (const base of bases) state.buckets.push(await make(state.emu, base));
    state.store = await emulatorStore(state.emu, provider, { retryBaseDelayMs: 1, ...options.connection });
  });
  afterAll(async () => {
    await state.emu?.close();
  });
  beforeEach(() => {
    state.emu?.faults.clear();
    state.emu?.clearRequests();
  });
  return {
    get emu() {
      return state.emu!;
    },
    get buckets() {
      return state.buckets;
    },
    get store() {
      return state.store!;
    },
    opsOf: (op) => state.emu!.requests().filter((r) => r.op === op).length,
  };
}
