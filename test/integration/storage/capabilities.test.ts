import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppendable, isInventoryRunner, isObjectMetaReader, isRestorable } from '../../../src/storage/capabilities';
import { PROVIDER_KINDS, isProviderKind, providerTraits } from '../../../src/storage/traits';
import { startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';

/**
 * What a cloud can do is said twice by design: by its store's methods (asked with type guards once a store
 * exists) and by its traits (asked before one does, e.g. by the CLI). They must agree, for every cloud.
 */
let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});

describe('storage capabilities and traits', () => {
  it('knows exactly the two clouds', () => {
    expect(PROVIDER_KINDS).toEqual(['cos', 'oss']);
    expect(PROVIDER_KINDS.every(isProviderKind)).toBe(true);
    for (const other of ['s3', 'COS', '', undefined, 1, 'toString', '__proto__']) expect(isProviderKind(other), String(other)).toBe(false);
  });

  it.each(PROVIDER_KINDS)("%s: the store's capabilities are what its traits say", async (kind) => {
    const store = await emulatorStore(emu, kind);
    const traits = providerTraits(kind);
    expect(traits.kind).toBe(kind);
    expect(isAppendable(store)).toBe(traits.appendable);
    expect(isInventoryRunner(store)).toBe(traits.inventory.runsOnce);
  });

  it('OSS appends and reads object meta; COS runs an inventory on request', async () => {
    const [cos, oss] = await Promise.all([emulatorStore(emu, 'cos'), emulatorStore(emu, 'oss')]);
    expect([isAppendable(oss), isObjectMetaReader(oss), isInventoryRunner(oss)]).toEqual([true, true, false]);
    expect([isAppendable(cos), isObjectMetaReader(cos), isInventoryRunner(cos)]).toEqual([false, false, true]);
    // Both restore archived objects (COS POST Object restore, OSS RestoreObject).
    expect([isRestorable(cos), isRestorable(oss)]).toEqual([true, true]);
  });
});
