import { describe, expect, it } from 'vitest';
import { describeProgress, transferMeter, type ProgressReport } from '../../../src/transfer/progress';

describe('transferMeter (the ProgressMeter over bytes)', () => {
  it('throttles reports to one per interval and always reports completion', () => {
    let now = 0;
    const reports: ProgressReport[] = [];
    const meter = transferMeter((r) => reports.push(r), { now: () => now });
    for (let i = 0; i <= 100; i++) {
      now = i * 10; // one update every 10 ms over one second
      meter.update({ bytesDone: i * 1000, bytesTotal: 100_000 });
    }
    // 1 s at one report per 250 ms: the first, three more, and the final one.
    expect(reports.length).toBe(5);
    expect(reports.at(-1)!.bytesDone).toBe(100_000);
  });

  it('computes speed, ETA and increments from the samples', () => {
    let now = 0;
    const reports: ProgressReport[] = [];
    const meter = transferMeter((r) => reports.push(r), { now: () => now });
    meter.update({ bytesDone: 0, bytesTotal: 4000 });
    now = 1000;
    meter.update({ bytesDone: 1000, bytesTotal: 4000 });
    const r = reports.at(-1)!;
    expect(r.bytesPerSecond).toBeCloseTo(1000);
    expect(r.etaSeconds).toBeCloseTo(3);
    expect(r.increment).toBeCloseTo(0.25);
    expect(describeProgress(r)).toBe('1000 B of 3.9 KiB · 1000 B/s · 3s left');
  });
});

describe('transferMeter with bursty reports (parts finishing together)', () => {
  /**
   * A multipart upload sends 4 parts of 8 MiB at once over a link of 3.2 MiB/s: the 4 parts finish
   * together every 10 s, a few ms (or a few hundred ms) apart, and nothing is reported in between. The
   * time left must follow the real rate, not the few ms between two parts of one burst.
   */
  it('keeps the time left near the real one instead of dropping to 0s after each burst', () => {
    const MiB = 1024 * 1024;
    const total = 80 * MiB;
    const rate = 3.2 * MiB; // bytes per second, the link's real speed
    let now = 0;
    const reports: Array<ProgressReport & { at: number }> = [];
    const meter = transferMeter((r) => reports.push({ ...r, at: now }), { intervalMs: 250, windowMs: 5000, now: () => now });
    meter.update({ bytesDone: 0, bytesTotal: total });
    let done = 0;
    for (let burst = 1; done < total; burst++) {
      for (const offsetMs of [0, 1, 2, 300]) {
        now = burst * 10_000 + offsetMs;
        done += 8 * MiB;
        meter.update({ bytesDone: done, bytesTotal: total });
      }
    }
    const during = reports.filter((r) => r.bytesDone < total && r.etaSeconds !== undefined);
    expect(during.length).toBeGreaterThan(4);
    for (const r of during) {
      const trueLeft = (total - r.bytesDone) / rate;
      expect(r.etaSeconds!, `at ${r.at} ms, ${r.bytesDone / MiB} MiB done`).toBeGreaterThan(trueLeft / 2);
      expect(r.etaSeconds!).toBeLessThan(trueLeft * 5);
      expect(describeProgress(r)).not.toMatch(/ 0s left/);
    }
  });

  it('says nothing of time left once every byte is sent (the last check may still run)', () => {
    let now = 0;
    const reports: ProgressReport[] = [];
    const meter = transferMeter((r) => reports.push(r), { intervalMs: 250, windowMs: 5000, now: () => now });
    meter.update({ bytesDone: 0, bytesTotal: 1000 });
    now = 1000;
    meter.update({ bytesDone: 1000, bytesTotal: 1000 });
    expect(describeProgress(reports.at(-1)!)).toBe('1000 B of 1000 B · 1000 B/s');
  });
});
