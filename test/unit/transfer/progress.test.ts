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
