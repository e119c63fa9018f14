import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

/**
 * OSS AppendObject's position check is atomic: of two appends at one position that arrive together, one
 * lands and the other is refused with 409 PositionNotEqualToLength, as OSS does. Through ali-oss.
 */

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});

describe('AppendObject under concurrency', () => {
  it('lets exactly one of two appends at the same position land, the other gets PositionNotEqualToLength', async () => {
    const bucket = await makeOssBucket(emu, 'appatomic');
    const client = ossClient(emu, bucket);
    const key = 'log.bin';
    // A few MiB already there: each append copies them, which leaves room for the other to slip in.
    const start = Buffer.alloc(4 * 1024 * 1024, 7);
    await client.append(key, start, { position: '0' });
    let length = start.length;
    for (let round = 0; round < 4; round++) {
      // Both requests are held until both have arrived, then served together.
      let arrived = 0;
      let release!: () => void;
      const together = new Promise<void>((r) => (release = r));
      const hook = emu.faults.hook({ dialect: 'oss', op: 'AppendObject', key }, async () => {
        if (++arrived === 2) release();
        await together;
      });
      const bodies = [Buffer.alloc(1000, 65 + round), Buffer.alloc(1000, 97 + round)];
      const results = await Promise.allSettled(bodies.map((b) => client.append(key, b, { position: String(length) })));
      emu.faults.remove(hook);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok, `round ${round}`).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect((refused[0].reason as { code?: string; status?: number }).code).toBe('PositionNotEqualToLength');
      expect((refused[0].reason as { status?: number }).status).toBe(409);
      length += 1000;
      const head = await client.head(key);
      expect(Number((head.res.headers as Record<string, string>)['content-length'])).toBe(length);
    }
  });
});
