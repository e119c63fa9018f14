import { crc64 as oracleCrc64 } from 'crc64-ecma182.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PositionConflictError } from '../../../src/storage/errors';
import { isAppendable, isObjectMetaReader, type Appendable } from '../../../src/storage/capabilities';
import type { ObjectStore } from '../../../src/storage/types';
import { makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore, withCapability } from '../../support/emulatorStore';
import { caughtStorage as caught, readAll } from './helpers';

let emu: Emulator;

beforeAll(async () => {
  emu = await startTestEmulator();
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(() => {
  emu.faults.clear();
  emu.clearRequests();
});

const opsOf = (op: string): number => emu.requests().filter((r) => r.op === op).length;

describe('oss AppendObject', () => {
  let bucket: string;
  let store: ObjectStore & Appendable;

  beforeAll(async () => {
    bucket = await makeOssBucket(emu, 'append');
    store = withCapability(await emulatorStore(emu, 'oss', { retryBaseDelayMs: 1 }), isAppendable, 'Appendable');
  });

  it('each append returns the next position and the CRC-64 of the whole object so far', async () => {
    const first = Buffer.from('line one\n');
    const second = Buffer.from('line two, longer\n');
    const a = await store.appendObject(bucket, 'logs/app.log', 0, first);
    expect(a.nextPosition).toBe(first.length);
    expect(a.crc64).toBe(oracleCrc64(first));
    const b = await store.appendObject(bucket, 'logs/app.log', a.nextPosition, second);
    const whole = Buffer.concat([first, second]);
    expect(b.nextPosition).toBe(whole.length);
    expect(b.crc64).toBe(oracleCrc64(whole));
    expect(await store.head(bucket, 'logs/app.log')).toMatchObject({ size: whole.length, crc64: oracleCrc64(whole) });
    expect((await readAll((await store.get(bucket, 'logs/app.log')).body)).equals(whole)).toBe(true);
  });

  it('an append at a stale position is a PositionConflictError with the current length, and writes nothing', async () => {
    await store.appendObject(bucket, 'logs/stale.log', 0, Buffer.from('12345'));
    const err = await caught(store.appendObject(bucket, 'logs/stale.log', 3, Buffer.from('xyz')));
    expect(err).toBeInstanceOf(PositionConflictError);
    expect(err.kind).toBe('position-conflict');
    expect((err as PositionConflictError).currentPosition).toBe(5);
    expect((await store.head(bucket, 'logs/stale.log')).size).toBe(5);
  });

  it('an append whose answer is lost is not written twice: the retry meets the new length', async () => {
    await store.appendObject(bucket, 'logs/lost.log', 0, Buffer.from('abc'));
    emu.clearRequests();
    emu.faults.add({ op: 'AppendObject', times: 1, action: { kind: 'drop-response' } });
    const err = await caught(store.appendObject(bucket, 'logs/lost.log', 3, Buffer.from('defg')));
    expect(opsOf('AppendObject')).toBe(2);
    expect(err).toBeInstanceOf(PositionConflictError);
    expect((err as PositionConflictError).currentPosition).toBe(7);
    expect((await readAll((await store.get(bucket, 'logs/lost.log')).body)).toString()).toBe('abcdefg');
  });

  it('appending to an object that is not appendable is refused', async () => {
    await store.put(bucket, 'plain.txt', Buffer.from('abc'));
    const err = await caught(store.appendObject(bucket, 'plain.txt', 3, Buffer.from('d')));
    expect(err.kind).toBe('invalid-request');
    expect(err.code).toBe('ObjectNotAppendable');
  });
});

describe('getObjectMeta', () => {
  it('oss: GetObjectMeta gives size, ETag and date with one GetObjectMeta request', async () => {
    const bucket = await makeOssBucket(emu, 'meta');
    const store = withCapability(await emulatorStore(emu, 'oss'), isObjectMetaReader, 'an ObjectMetaReader');
    const put = await store.put(bucket, 'm/a.bin', Buffer.alloc(1234, 7));
    emu.clearRequests();
    const meta = await store.getObjectMeta(bucket, 'm/a.bin');
    expect(meta).toMatchObject({ key: 'm/a.bin', size: 1234, etag: put.etag });
    expect(meta.lastModified).toBeInstanceOf(Date);
    expect(opsOf('GetObjectMeta')).toBe(1);
    expect(opsOf('HeadObject')).toBe(0);
    expect((await caught(store.getObjectMeta(bucket, 'm/none'))).kind).toBe('no-such-key');
    expect((await caught(store.getObjectMeta('nosuch-meta-bucket', 'm/a.bin'))).kind).toBe('no-such-bucket');
  });

  it('cos: has neither GetObjectMeta nor append (a HEAD answers, CRC-64 included)', async () => {
    const store = await emulatorStore(emu, 'cos');
    expect(isObjectMetaReader(store)).toBe(false);
    expect(isAppendable(store)).toBe(false);
  });
});
