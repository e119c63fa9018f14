import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BADGE_STYLES, badgeTooltip, rollupSummary } from '../../../src/ui/shared/badgeStyle';

describe('badge styles', () => {
  it('gives each status a distinct one-letter badge that Git does not use', () => {
    const letters = Object.values(BADGE_STYLES).map((s) => s.letter);
    expect(new Set(letters).size).toBe(letters.length);
    for (const l of letters) {
      expect([...l].length).toBe(1);
      expect('MADRCUIT'.includes(l)).toBe(false);
    }
  });

  it('uses colours contributed in package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { colors?: Array<{ id: string }> } };
    const contributed = new Set((pkg.contributes.colors ?? []).map((c) => c.id));
    for (const s of Object.values(BADGE_STYLES)) expect(contributed.has(s.colorId)).toBe(true);
  });

  it('describes a file with its CRCs and where the remote one came from', () => {
    const text = badgeTooltip('differ', {
      status: 'differ',
      localCrc64: '1',
      remoteCrc64: '2',
      remoteCrcSource: 'download',
      detail: 'CRC-64 differs',
    });
    expect(text).toBe('Bucket Integrity: CRC-64 MISMATCH — CRC-64 differs — local CRC-64 1 — remote CRC-64 2 (computed by downloading)');
    expect(badgeTooltip('not-compared', undefined)).toBe('Bucket Integrity: Not compared yet');
  });

  it('summarises a folder worst first', () => {
    expect(rollupSummary({ match: 3, differ: 1, 'no-crc': 2, 'only-local': 0, 'only-remote': 1 })).toBe(
      '1 mismatch, 1 only in the bucket, 2 without CRC-64, 3 matches',
    );
    expect(badgeTooltip('match', undefined, { match: 1, differ: 0, 'no-crc': 0, 'only-local': 0, 'only-remote': 0 })).toBe(
      'Bucket Integrity: CRC-64 matches — below: 1 match',
    );
  });
});
