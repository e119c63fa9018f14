import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryPathFor } from '../../../src/transfer/downloader';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

describe('temporaryPathFor', () => {
  it('keeps a short name visible, hidden beside the target', () => {
    const temp = temporaryPathFor(join('/data', 'report.csv'));
    expect(dirname(temp)).toBe('/data');
    expect(basename(temp)).toMatch(/^\.report\.csv\.[0-9a-f]{8}\.bi-download$/);
  });

  it('stays within 255 bytes for the longest names, never cutting a character in two', () => {
    for (const name of ['a'.repeat(255), 'é'.repeat(127), '東'.repeat(85), '😀'.repeat(63), `${'x'.repeat(232)}é`]) {
      expect(bytes(name)).toBeLessThanOrEqual(255);
      const temp = basename(temporaryPathFor(join('/d', name)));
      expect(bytes(temp)).toBeLessThanOrEqual(255);
      expect(temp).toMatch(/\.[0-9a-f]{8}\.bi-download$/);
      const visible = temp.slice(1, -'.01234567.bi-download'.length);
      expect(name.startsWith(visible)).toBe(true);
      expect(Buffer.from(visible, 'utf8').toString('utf8')).toBe(visible);
      expect(visible).not.toContain('\uFFFD');
    }
  });

  it('two temporary names for one target differ', () => {
    expect(temporaryPathFor('/d/x')).not.toBe(temporaryPathFor('/d/x'));
  });
});
