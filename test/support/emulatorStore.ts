import { StorageError } from '../../src/storage/errors';
import { createObjectStore } from '../../src/storage';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../src/storage/types';
import { connectionOptions, type Emulator } from './emulator';

/** A ready ObjectStore (the extension's own COS or OSS adapter) talking to the emulator. */
export function emulatorStore(emu: Emulator, provider: ProviderKind, extra: Partial<ConnectionOptions> = {}): Promise<ObjectStore> {
  return createObjectStore(connectionOptions(emu, provider, extra));
}

/** An object's bytes as text, or undefined when it does not exist (a move's source, after the move). */
export async function textIfExists(store: ObjectStore, bucket: string, key: string): Promise<string | undefined> {
  try {
    const { body } = await store.get(bucket, key);
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString();
  } catch (err) {
    if (err instanceof StorageError && err.kind === 'no-such-key') return undefined;
    throw err;
  }
}

/** The store seen with a capability it must have (a test of that capability fails clearly otherwise). */
export function withCapability<C>(store: ObjectStore, guard: (s: ObjectStore) => s is ObjectStore & C, name: string): ObjectStore & C {
  if (!guard(store)) throw new Error(`the ${store.provider} store is not ${name}`);
  return store;
}
