import { describe, expect, it } from 'vitest';
import { destinationOf, type Destination } from '../../../src/storage/destination';
import { StorageError } from '../../../src/storage/errors';
import {
  parseStoredKeys,
  passKeysGate,
  serializeStoredKeys,
  SEND_IN_CLEAR,
  SEND_TO_NEW_DESTINATION,
  type FoundKeys,
  type KeysGateDeps,
} from '../../../src/ui/profiles/keyBinding';
import { serializeCredentials, type ProfileConfig } from '../../../src/ui/shared/profileModel';

const keys = { accessKeyId: 'AKIDbindingtest0001', secretAccessKey: 'binding-test-secret-0001', sessionToken: 'binding-test-token-0001' };
const prod: ProfileConfig = { name: 'prod', provider: 'cos', region: 'ap-guangzhou', endpoint: 'https://cos.internal.example' };

/** The editor's side, recorded: every question asked and every binding written. */
function deps(answers: boolean[] = [], allowed: string[] = []) {
  const asked: { message: string; detail: string; confirm: string }[] = [];
  const bound: [string, Destination][] = [];
  const log: string[] = [];
  const d: KeysGateDeps = {
    ask: async (message, detail, confirm) => {
      asked.push({ message, detail, confirm });
      return answers.shift() ?? false;
    },
    rebind: async (name, to) => void bound.push([name, to]),
    insecureAllowed: (e) => allowed.includes(e),
    allowInsecure: async (e) => void allowed.push(e),
    log: (l) => void log.push(l),
  };
  return { d, asked, bound, allowed, log };
}

const stored = (boundTo?: Destination): FoundKeys => ({ credentials: keys, source: 'secret-storage', ...(boundTo ? { boundTo } : {}) });

describe('stored keys carry their destination', () => {
  it('round-trips keys and binding', () => {
    const text = serializeStoredKeys(keys, destinationOf(prod));
    expect(parseStoredKeys(text)).toEqual({
      credentials: keys,
      boundTo: { provider: 'cos', region: 'ap-guangzhou', endpoint: 'https://cos.internal.example' },
    });
  });

  it('reads keys saved before bindings existed, with no binding', () => {
    expect(parseStoredKeys(serializeCredentials(keys))).toEqual({ credentials: keys });
    expect(parseStoredKeys('not json')).toBeUndefined();
  });
});

describe('passKeysGate', () => {
  it('lets keys go, without a question, where they were saved for (spelling of the endpoint aside)', async () => {
    const { d, asked } = deps();
    const bound = destinationOf({ ...prod, endpoint: 'HTTPS://cos.internal.example:443/' });
    await expect(passKeysGate(prod, stored(bound), d)).resolves.toEqual({ allowInsecureEndpoint: false });
    expect(asked).toEqual([]);
  });

  it.each([
    ['endpoint', { endpoint: 'http://collector.example' }],
    ['region', { region: 'ap-beijing' }],
    ['provider', { provider: 'oss' as const }],
  ])('asks before keys follow a changed %s, and refuses when declined', async (_what, change) => {
    const moved = { ...prod, ...change };
    const { d, asked, bound } = deps([false]);
    const err = await passKeysGate(moved, stored(destinationOf(prod)), d).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StorageError);
    expect((err as Error).message).toMatch(/were not sent/);
    expect((err as Error).message).toContain('https://cos.internal.example');
    expect(asked).toHaveLength(1);
    expect(asked[0].confirm).toBe(SEND_TO_NEW_DESTINATION);
    expect(bound).toEqual([]);
    expect(JSON.stringify(asked) + (err as Error).message).not.toMatch(/binding-test-(secret|token)|AKIDbindingtest/);
  });

  it('rebinds the keys when the user confirms the new destination', async () => {
    const moved = { ...prod, region: 'ap-beijing' };
    const { d, bound } = deps([true]);
    await passKeysGate(moved, stored(destinationOf(prod)), d);
    expect(bound).toEqual([['prod', destinationOf(moved)]]);
  });

  it('binds keys saved before bindings existed to where the profile points now, without asking', async () => {
    const { d, asked, bound } = deps();
    await passKeysGate(prod, stored(), d);
    expect(asked).toEqual([]);
    expect(bound).toEqual([['prod', destinationOf(prod)]]);
  });

  it('does not bind keys from the environment (nothing is stored)', async () => {
    const { d, asked, bound } = deps();
    await passKeysGate({ ...prod, endpoint: 'https://elsewhere.example' }, { credentials: keys, source: 'environment' }, d);
    expect([asked, bound]).toEqual([[], []]);
  });

  it('asks before plain HTTP off this machine, remembers a yes, and refuses a no', async () => {
    const plain = { ...prod, endpoint: 'http://10.0.0.5:9000' };
    const no = deps([false]);
    const refused = await passKeysGate(plain, stored(destinationOf(plain)), no.d).catch((e: StorageError) => e);
    expect(refused).toBeInstanceOf(StorageError);
    expect((refused as StorageError).kind).toBe('insecure-endpoint');
    expect(no.asked[0].confirm).toBe(SEND_IN_CLEAR);
    expect(no.asked[0].detail).toMatch(/travel in clear/);

    const yes = deps([true]);
    await expect(passKeysGate(plain, stored(destinationOf(plain)), yes.d)).resolves.toEqual({ allowInsecureEndpoint: true });
    expect(yes.allowed).toEqual(['http://10.0.0.5:9000']);
    // Allowed once: not asked again.
    await passKeysGate(plain, { credentials: keys, source: 'environment' }, yes.d);
    expect(yes.asked).toHaveLength(1);
  });

  it('never asks about HTTP to loopback', async () => {
    const local = { ...prod, endpoint: 'http://127.0.0.1:9000' };
    const { d, asked } = deps();
    await expect(passKeysGate(local, stored(destinationOf(local)), d)).resolves.toEqual({ allowInsecureEndpoint: false });
    expect(asked).toEqual([]);
  });
});
