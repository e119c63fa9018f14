import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../../src/storage';
import type { ConnectionOptions, ProviderKind } from '../../../src/storage/types';
import { connectionOptions, makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { caughtStorage as caught } from './helpers';

/**
 * One retry layer with one budget per call: the adapter's. Each test counts what reached the wire (the
 * emulator's request log, or the connections a silent server accepted), so an SDK retrying on its own,
 * or a backoff outliving the deadline, shows up as a wrong count or a wrong time.
 */

/** The fault the control API calls `status-503`. */
const STATUS_503 = { kind: 'status', status: 503 } as const;

/** A TCP server that accepts every connection and never answers a byte. */
async function blackHole(): Promise<{ endpoint: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.each(['cos', 'oss'] as const)('%s: one retry budget and a deadline per call', (provider: ProviderKind) => {
  let emu: Emulator;
  let bucket: string;

  const connection = (extra: Partial<ConnectionOptions> = {}): ConnectionOptions =>
    connectionOptions(emu, provider, { retryBaseDelayMs: 1, timeoutMs: 10_000, ...extra });
  const opsOf = (op: string): number => emu.requests().filter((r) => r.op === op).length;

  beforeAll(async () => {
    emu = await startTestEmulator();
    bucket = provider === 'cos' ? await makeCosBucket(emu, 'budget') : await makeOssBucket(emu, 'budget');
  });

  afterAll(async () => {
    await emu?.close();
  });

  beforeEach(() => {
    emu.faults.clear();
    emu.clearRequests();
  });

  it.each([0, 1, 3])('one PUT against an endless 503 storm makes exactly 1 + maxRetries (%i) requests', async (maxRetries) => {
    const store = await createObjectStore(connection({ maxRetries }));
    emu.faults.add({ op: 'PutObject', times: Infinity, action: STATUS_503 });
    const err = await caught(store.put(bucket, 'storm/put.txt', Buffer.from('storm')));
    expect(err.kind).toBe('server');
    expect(err.status).toBe(503);
    expect(opsOf('PutObject')).toBe(1 + maxRetries);
  });

  it('the default budget is 1 + 3 requests', async () => {
    const store = await createObjectStore(connectionOptions(emu, provider, { retryBaseDelayMs: 1 }));
    emu.faults.add({ op: 'HeadObject', times: Infinity, action: STATUS_503 });
    const err = await caught(store.head(bucket, 'storm/none.txt'));
    expect(err.kind).toBe('server');
    expect(opsOf('HeadObject')).toBe(4);
  });

  it('an answer slower than the timeout on every attempt: one request per attempt, then a timeout error', async () => {
    await (await createObjectStore(connection())).put(bucket, 'slow/a.txt', Buffer.from('a'));
    emu.clearRequests();
    const store = await createObjectStore(connection({ timeoutMs: 200, maxRetries: 2 }));
    emu.faults.add({ op: 'HeadObject', times: Infinity, action: { kind: 'delay', ms: 2000 } as const });
    const started = Date.now();
    const err = await caught(store.head(bucket, 'slow/a.txt'));
    const elapsed = Date.now() - started;
    expect(err.kind).toBe('timeout');
    expect(opsOf('HeadObject')).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(3 * 200 - 50);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('the deadline cuts an attempt short and stops the retries, with a timeout error that names it', async () => {
    const store = await createObjectStore(connection({ timeoutMs: 400, maxRetries: 10, deadlineMs: 1_000 }));
    emu.faults.add({ op: 'HeadObject', times: Infinity, action: { kind: 'delay', ms: 5000 } as const });
    const started = Date.now();
    const err = await caught(store.head(bucket, 'slow/a.txt'));
    const elapsed = Date.now() - started;
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/within the 1 s deadline \(3 attempts\)/);
    expect(opsOf('HeadObject')).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(1_600);
  });

  it('a black-holed endpoint fails by the deadline with a timeout error, not after every retry', async () => {
    const hole = await blackHole();
    try {
      const store = await createObjectStore(connection({ endpoint: hole.endpoint, timeoutMs: 500, maxRetries: 20, deadlineMs: 1_200 }));
      const started = Date.now();
      const err = await caught(store.put(bucket, 'hole/a.txt', Buffer.from('a')));
      const elapsed = Date.now() - started;
      expect(err.kind).toBe('timeout');
      expect(err.message).toMatch(/did not answer within the 1\.2 s deadline/);
      expect(elapsed).toBeGreaterThanOrEqual(1_150);
      expect(elapsed).toBeLessThan(1_900);
      expect(hole.connections()).toBe(3);
    } finally {
      await hole.close();
    }
  });

  it('a black-holed endpoint without a deadline of its own fails after timeout × attempts', async () => {
    const hole = await blackHole();
    try {
      const store = await createObjectStore(connection({ endpoint: hole.endpoint, timeoutMs: 300, maxRetries: 2 }));
      const started = Date.now();
      const err = await caught(store.list(bucket));
      const elapsed = Date.now() - started;
      expect(err.kind).toBe('timeout');
      expect(err.message).toMatch(/did not answer in time/);
      expect(hole.connections()).toBe(3);
      expect(elapsed).toBeGreaterThanOrEqual(3 * 300 - 50);
      expect(elapsed).toBeLessThan(2_000);
    } finally {
      await hole.close();
    }
  });
});
