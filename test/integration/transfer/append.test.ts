import { appendFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { isAppendable, type Appendable } from '../../../src/storage/capabilities';
import type { ObjectStore } from '../../../src/storage/types';
import { withCapability } from '../../support/emulatorStore';
import { AppendMismatchError, appendFile, type AppendableStore } from '../../../src/transfer/append';
import { IntegrityError } from '../../../src/util/errors';
import { data, opsFor, readAll, setup, type Env } from './fixture';

let env: Env;
let oss: ObjectStore & Appendable;
let bucket: string;
beforeAll(async () => {
  env = await setup();
  oss = withCapability(await env.store('oss'), isAppendable, 'Appendable');
  bucket = env.bucket.oss;
});
afterAll(async () => {
  await env?.close();
});
beforeEach(() => {
  env.emu.faults.clear();
});

let counter = 0;
const uniqueKey = (name: string): string => `log/${++counter}-${name}`;

/** A growing log: written, then appended to, as a program writing a log does. */
function logFile(name: string, bytes: Buffer): string {
  return env.file(name, bytes);
}

describe('verified OSS append', () => {
  it('creates the object, then appends only the new bytes of the growing file, checking combined CRC-64s', async () => {
    const key = uniqueKey('app.log');
    const first = data(3000);
    const path = logFile(`${counter}.log`, first);
    const created = await appendFile(oss, { bucket, key, localPath: path });
    expect(created).toMatchObject({
      outcome: 'appended',
      previousSize: 0,
      size: 3000,
      appends: 1,
      verified: true,
      crc64: formatCrc64(crc64(first)),
    });

    const more = data(5000);
    appendFileSync(path, more);
    const since = Date.now();
    const grown = await appendFile(oss, { bucket, key, localPath: path, chunkSize: 2000 });
    const whole = Buffer.concat([first, more]);
    expect(grown).toMatchObject({ outcome: 'appended', previousSize: 3000, size: 8000, appendedBytes: 5000, appends: 3, verified: true });
    expect(grown.crc64).toBe(formatCrc64(crc64(whole)));
    expect(grown.remoteCrc64).toBe(grown.crc64);
    const ops = opsFor(env.emu, key, since);
    expect(ops.filter((op) => op === 'AppendObject')).toHaveLength(3);
    // What was already there is never read back.
    expect(ops).not.toContain('GetObject');
    expect((await readAll(oss, bucket, key)).equals(whole)).toBe(true);
  });

  it('sends nothing when the object already has every byte of the file', async () => {
    const key = uniqueKey('same.log');
    const path = logFile(`${counter}.log`, data(100));
    await appendFile(oss, { bucket, key, localPath: path });
    const since = Date.now();
    expect(await appendFile(oss, { bucket, key, localPath: path })).toMatchObject({ outcome: 'up-to-date', appends: 0, verified: true });
    expect(opsFor(env.emu, key, since)).not.toContain('AppendObject');
  });

  it('refuses, appending nothing, when the local file no longer starts with the object', async () => {
    const key = uniqueKey('rewritten.log');
    const bytes = data(2000);
    const path = logFile(`${counter}.log`, bytes);
    await appendFile(oss, { bucket, key, localPath: path });
    const changed = Buffer.from(bytes);
    changed[10] ^= 0xff;
    writeFileSync(path, Buffer.concat([changed, data(500)]));
    const since = Date.now();
    await expect(appendFile(oss, { bucket, key, localPath: path })).rejects.toBeInstanceOf(AppendMismatchError);
    writeFileSync(path, bytes.subarray(0, 1000));
    await expect(appendFile(oss, { bucket, key, localPath: path })).rejects.toThrow(/shorter/);
    expect(opsFor(env.emu, key, since)).not.toContain('AppendObject');
    expect((await readAll(oss, bucket, key)).equals(bytes)).toBe(true);
  });

  /** The store, with another writer appending `theirs` just before our first append reaches the service. */
  function withRivalAppend(theirs: Buffer): AppendableStore {
    let done = false;
    return {
      head: (b, k, o) => oss.head(b, k, o),
      async appendObject(b, k, position, body, o) {
        if (!done) {
          done = true;
          await oss.appendObject(b, k, position, theirs);
        }
        return oss.appendObject(b, k, position, body, o);
      },
    };
  }

  it('stops on a position conflict when someone else appended other bytes, never writing over or after them', async () => {
    const key = uniqueKey('rival.log');
    const start = data(1000);
    const path = logFile(`${counter}.log`, start);
    await appendFile(oss, { bucket, key, localPath: path });
    appendFileSync(path, data(400));
    const theirs = data(300);
    await expect(appendFile(withRivalAppend(theirs), { bucket, key, localPath: path })).rejects.toThrow(/Someone else appended/);
    expect((await readAll(oss, bucket, key)).equals(Buffer.concat([start, theirs]))).toBe(true);
  });

  it('goes on from the new position when the other writer appended the same bytes', async () => {
    const key = uniqueKey('twin.log');
    const start = data(1000);
    const path = logFile(`${counter}.log`, start);
    await appendFile(oss, { bucket, key, localPath: path });
    const more = data(900);
    appendFileSync(path, more);
    const result = await appendFile(withRivalAppend(more.subarray(0, 500)), { bucket, key, localPath: path });
    expect(result).toMatchObject({ conflicts: 1, size: 1900, verified: true });
    expect((await readAll(oss, bucket, key)).equals(Buffer.concat([start, more]))).toBe(true);
  });

  it('does not append twice when the answer to an append that landed is lost', async () => {
    const key = uniqueKey('lost.log');
    const start = data(1000);
    const path = logFile(`${counter}.log`, start);
    await appendFile(oss, { bucket, key, localPath: path });
    const more = data(700);
    appendFileSync(path, more);
    env.emu.faults.add({ op: 'AppendObject', key, action: { kind: 'drop-response' } });
    const since = Date.now();
    const result = await appendFile(oss, { bucket, key, localPath: path });
    expect(result).toMatchObject({ size: 1700, verified: true, conflicts: 1 });
    expect(opsFor(env.emu, key, since).filter((op) => op === 'AppendObject')).toHaveLength(1);
    expect((await readAll(oss, bucket, key)).equals(Buffer.concat([start, more]))).toBe(true);
  });

  it('judges an answer whose CRC-64 is not combine(previous, appended) by the stored CRC-64, read again', async () => {
    const key = uniqueKey('wrong.log');
    const path = logFile(`${counter}.log`, data(1000));
    await appendFile(oss, { bucket, key, localPath: path });
    appendFileSync(path, data(10));
    // Only the answer is wrong: the object is intact, and verified as such.
    env.emu.faults.add({ op: 'AppendObject', key, action: { kind: 'wrong-crc-header' } });
    await expect(appendFile(oss, { bucket, key, localPath: path })).resolves.toMatchObject({ verified: true, size: 1010 });
    appendFileSync(path, data(10));
    // The stored object reads wrong too: damaged.
    env.emu.faults.add({ op: 'AppendObject', key, action: { kind: 'wrong-crc-header' } });
    env.emu.faults.hook(
      { op: 'AppendObject', key, times: 1 },
      () => void env.emu.faults.add({ op: 'HeadObject', key, action: { kind: 'wrong-crc-header' } }),
    );
    await expect(appendFile(oss, { bucket, key, localPath: path })).rejects.toBeInstanceOf(IntegrityError);
  });

  it('COS has no appendable objects: its store is not Appendable, so appendFile cannot be given it', async () => {
    expect(isAppendable(await env.store('cos'))).toBe(false);
  });
});
