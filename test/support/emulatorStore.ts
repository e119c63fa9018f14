import { createObjectStore } from '../../src/storage';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../src/storage/types';
import { connectionOptions, type Emulator } from './emulator';

/** A ready ObjectStore (the extension's own COS or OSS adapter) talking to the emulator. */
export function emulatorStore(emu: Emulator, provider: ProviderKind, extra: Partial<ConnectionOptions> = {}): Promise<ObjectStore> {
  return createObjectStore(connectionOptions(emu, provider, extra));
}

/** The store seen with a capability it must have (a test of that capability fails clearly otherwise). */
export function withCapability<C>(store: ObjectStore, guard: (s: ObjectStore) => s is ObjectStore & C, name: string): ObjectStore & C {
  if (!guard(store)) throw new Error(`the ${store.provider} store is not ${name}`);
  return store;
}
