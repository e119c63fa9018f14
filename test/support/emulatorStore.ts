import { createObjectStore } from '../../src/storage';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../../src/storage/types';
import { connectionOptions, type Emulator } from './emulator';

/** A ready ObjectStore (the extension's own COS or OSS adapter) talking to the emulator. */
export function emulatorStore(emu: Emulator, provider: ProviderKind, extra: Partial<ConnectionOptions> = {}): Promise<ObjectStore> {
  return createObjectStore(connectionOptions(emu, provider, extra));
}
