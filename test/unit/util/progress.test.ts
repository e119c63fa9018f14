import { describe, expect, it } from 'vitest';
import { etaSeconds, PROGRESS_INTERVAL_MS, ProgressMeter, ProgressThrottle, type Pace } from '../../../src/util/progress';

describe('ProgressThrottle', () => {
  it('lets one report through per interval, and a forced one always', () => {
    let now = 1000;
    const throttle = new ProgressThrottle({ now: () => now });
    expect(throttle.due()).toBe(true);
    now += PROGRESS_INTERVAL_MS - 1;
    expect(throttle.due()).toBe(false);
    expect(throttle.due(true)).toBe(true);
    now += PROGRESS_INTERVAL_MS;
    expect(throttle.due()).toBe(true);
  });
});

describe('ProgressMeter over objects', () => {
  it('reports objects/s and time left from the counts, the last report forced by completion', () => {
    let now = 0;
    const seen: Array<{ done: number; pace: Pace }> = [];
    const meter = new ProgressMeter<{ done: number; total: number }>(
      (p) => p,
      (p, pace) => seen.push({ done: p.done, pace }),
      { now: () => now },
    );
    meter.update({ done: 0, total: 1000 });
    now = 2000;
    meter.update({ done: 400, total: 1000 });
    expect(seen.at(-1)!.pace.perSecond).toBeCloseTo(200);
    expect(seen.at(-1)!.pace.etaSeconds).toBeCloseTo(3);
    expect(seen.at(-1)!.pace.increment).toBeCloseTo(0.4);
    now = 2001;
    meter.update({ done: 999, total: 1000 });
    meter.update({ done: 1000, total: 1000 });
    expect(seen.map((s) => s.done)).toEqual([0, 400, 1000]);
  });

  it('knows no time left until a speed is known', () => {
    expect(etaSeconds(10, 0)).toBeUndefined();
    expect(etaSeconds(-5, 2)).toBe(0);
  });
});
