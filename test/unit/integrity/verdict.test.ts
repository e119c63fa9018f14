import { describe, expect, it } from 'vitest';
import { countVerdicts, DETAIL, judge, summaryLine, VERDICT_SYMBOL, VERDICTS } from '../../../src/integrity/verdict';
import { COMBINED_SYMBOL } from '../../../src/integrity/verify';
import { formatReport } from '../../../src/ui/compare/report';

describe('one verdict', () => {
  it('uses the symbols of rclone check --combined: + only in the source (local), - only in the destination (bucket)', () => {
    expect(VERDICT_SYMBOL).toEqual({ match: '=', differ: '*', 'only-local': '+', 'only-remote': '-', 'no-crc': '?', error: '!' });
    // Verify and Compare print the same table.
    expect(COMBINED_SYMBOL).toBe(VERDICT_SYMBOL);
    const at = new Date('2026-01-01T00:00:00Z');
    const report = formatReport({ local: 'site', remote: 'cos://b/site/', profile: 'p', at }, [
      { relativePath: 'new.txt', localPath: '/w/new.txt', key: 'site/new.txt', status: 'only-local' },
      { relativePath: 'old.txt', localPath: '/w/old.txt', key: 'site/old.txt', status: 'only-remote' },
    ]);
    expect(report).toContain('\n+ new.txt\n- old.txt\n');
  });

  it('judges sizes first, then a missing CRC-64, then the CRC-64s', () => {
    // Sizes settle a difference even when the object has no CRC-64 and the file was not hashed.
    expect(judge({ local: { size: 1 }, remote: { size: 2 } })).toEqual({ verdict: 'differ', detail: DETAIL.sizes(1, 2) });
    expect(judge({ local: { size: 2 }, remote: { size: 2 } })).toEqual({ verdict: 'no-crc', detail: DETAIL.noCrc });
    expect(judge({ local: { size: 2 }, remote: { size: 2, crc64: '5' } })).toEqual({ verdict: 'error', detail: DETAIL.notHashed });
    expect(judge({ local: { size: 2, crc64: '6' }, remote: { size: 2, crc64: '5' } })).toEqual({
      verdict: 'differ',
      detail: DETAIL.crcDiffers,
    });
    expect(judge({ local: { size: 2, crc64: '5' }, remote: { size: 2, crc64: '5' } })).toEqual({ verdict: 'match' });
    expect(judge({ local: { size: 2, crc64: '5' } })).toEqual({ verdict: 'only-local', detail: DETAIL.onlyLocal });
    expect(judge({ remote: { size: 2 } })).toEqual({ verdict: 'only-remote', detail: DETAIL.onlyRemote });
    expect(judge({})).toEqual({ verdict: 'error', detail: DETAIL.neither });
    expect(judge({ error: 'HEAD failed', local: { size: 1 }, remote: { size: 1 } })).toEqual({ verdict: 'error', detail: 'HEAD failed' });
  });

  it('against the record: a CRC-64 that changed under the same ETag differs, none is no-crc', () => {
    expect(judge({ against: 'record', remote: { size: 1, crc64: '5' } })).toEqual({ verdict: 'match' });
    expect(judge({ against: 'record', remote: { size: 1 } }).verdict).toBe('no-crc');
    expect(judge({ against: 'record', remote: { size: 1, crc64: '6', previousCrc64: '5' } })).toEqual({
      verdict: 'differ',
      detail: DETAIL.silentChange('5', '6'),
    });
  });

  it('counts and summarises every verdict', () => {
    const counts = countVerdicts(VERDICTS.map((status) => ({ status })));
    expect(counts.total).toBe(VERDICTS.length);
    expect(summaryLine(counts)).toBe('6 files: 1 match, 1 differ, 1 only local, 1 only in the bucket, 1 without CRC-64, 1 error.');
    expect(summaryLine(countVerdicts([{ status: 'match' }]), ['object', 'objects'])).toBe('1 object: all match.');
  });
});
