import { describe, expect, it } from 'vitest';
import type { FileResult } from '../../../src/integrity/compare';
import { allMatch, countResults, formatReport, leftOutLine, summaryLine } from '../../../src/ui/compare/report';

const r = (relativePath: string, status: FileResult['status'], extra: Partial<FileResult> = {}): FileResult => ({
  relativePath,
  localPath: `/w/site/${relativePath}`,
  key: `site/${relativePath}`,
  status,
  ...extra,
});

const results: FileResult[] = [
  r('a.txt', 'match', { localCrc64: '1', remoteCrc64: '1', localSize: 5, remoteSize: 5 }),
  r('b.txt', 'differ', { localCrc64: '1', remoteCrc64: '2', localSize: 5, remoteSize: 5, detail: 'CRC-64 differs' }),
  r('c.txt', 'differ', { localSize: 5, remoteSize: 6, detail: 'sizes differ (local 5, remote 6 bytes)' }),
  r('legacy.bin', 'no-crc', { detail: 'the object was stored without a CRC-64' }),
  r('new.txt', 'only-local', { detail: 'no such object in the bucket' }),
  r('old.txt', 'only-remote', { detail: 'no local file' }),
  r('fixed.bin', 'match', { localCrc64: '7', remoteCrc64: '7', remoteCrcSource: 'download' }),
];

describe('compare report', () => {
  it('counts each status', () => {
    expect(countResults(results)).toEqual({ total: 7, match: 2, differ: 2, 'no-crc': 1, 'only-local': 1, 'only-remote': 1, error: 0 });
    expect(allMatch(results)).toBe(false);
    expect(allMatch(results.filter((x) => x.status === 'match'))).toBe(true);
  });

  it('summarises in one line', () => {
    expect(summaryLine(results)).toBe('7 files: 2 match, 2 differ, 1 only local, 1 only in the bucket, 1 without CRC-64.');
    expect(summaryLine([results[0]])).toBe('1 file: all match.');
    expect(summaryLine([])).toBe('Nothing to compare: no files on either side.');
  });

  it('prints a header, counts per verdict, then one line per file with the symbols of rclone check --combined (+ only in the source, - only in the destination)', () => {
    const text = formatReport(
      { local: 'site', remote: 'cos://photos-1250000000/site/', profile: 'prod', at: new Date('2026-01-02T03:04:05.678Z') },
      results,
    );
    expect(text).toBe(
      [
        'Bucket Integrity — Compare with Remote',
        'Local:   site',
        'Remote:  cos://photos-1250000000/site/  (profile "prod")',
        'Checked: 2026-01-02 03:04:05 UTC',
        '',
        '2 = match',
        '2 * differ (sizes or CRC-64)',
        '1 + only local (not in the bucket)',
        '1 - only in the bucket (no local file)',
        '1 ? no CRC-64 stored (cannot be checked)',
        '0 ! error',
        '',
        '7 files: 2 match, 2 differ, 1 only local, 1 only in the bucket, 1 without CRC-64.',
        '',
        '= a.txt',
        '* b.txt  (CRC-64 differs; local 1, remote 2)',
        '* c.txt  (sizes differ (local 5, remote 6 bytes))',
        '? legacy.bin  (the object was stored without a CRC-64)',
        '+ new.txt  (no such object in the bucket)',
        '- old.txt  (no local file)',
        '= fixed.bin  (remote CRC-64 computed by downloading)',
        '',
      ].join('\n'),
    );
  });

  it('is titled after the command that ran it', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    expect(formatReport({ title: 'Compare with Local', local: 'site', remote: 'cos://b/site/', profile: 'p', at }, results)).toMatch(
      /^Bucket Integrity — Compare with Local\n/,
    );
    expect(formatReport({ local: 'site', remote: 'cos://b/site/', profile: 'p', at }, results)).toMatch(
      /^Bucket Integrity — Compare with Remote\n/,
    );
  });

  it('lists what the comparison left out after the summary, and names the count for a message', () => {
    const notes = [
      'skipped /w/site/linked: a link to a folder (links to folders are not followed)',
      'passed over site/m/: a folder marker (key ending in "/") that holds 3 bytes',
    ];
    const text = formatReport(
      { local: 'site', remote: 'oss://b/site/', profile: 'p', at: new Date('2026-01-02T03:04:05Z') },
      [results[0]],
      notes,
    );
    const lines = text.split('\n');
    const at = lines.indexOf('1 file: all match.');
    expect(lines.slice(at, at + 5)).toEqual([
      '1 file: all match.',
      'Left out (2):',
      '  skipped /w/site/linked: a link to a folder (links to folders are not followed)',
      '  passed over site/m/: a folder marker (key ending in "/") that holds 3 bytes',
      '',
    ]);
    expect(formatReport({ local: 'site', remote: 'oss://b/site/', profile: 'p', at: new Date() }, [results[0]])).not.toMatch(/Left out/);
    expect(leftOutLine(notes)).toBe('2 left out (skipped /w/site/linked: a link to a folder (links to folders are not followed))');
    expect(leftOutLine([])).toBe('');
  });
});
