import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatSpeed } from '../../../src/util/format';

describe('format', () => {
  it('bytes: exact below 1 KiB, one decimal below 100, none above', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(40 * 1024 * 1024)).toBe('40.0 MiB');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300 MiB');
    expect(formatBytes(99.97 * 1024)).toBe('100 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(formatBytes(-1)).toBe('');
  });

  it('speed, duration and counts', () => {
    expect(formatSpeed(8 * 1024 * 1024)).toBe('8.0 MiB/s');
    expect(formatDuration(undefined)).toBe('…');
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(7620)).toBe('2h 07m');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
  });
});
