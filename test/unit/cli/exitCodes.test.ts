import { describe, expect, it } from 'vitest';
import { exitCodeOfError, exitCodeOfRun, exitStatusUsage, throwIfRunCouldNotCheck } from '../../../src/cli/exitCodes';
import { UsageError } from '../../../src/cli/io';
import { StorageError, TruncatedBodyError } from '../../../src/storage/errors';
import { CancelledError, IntegrityError } from '../../../src/util/errors';

describe('the one exit-code table', () => {
  it('maps what ended a run: 1 for a finding about the data, 130 for a cancel, 2 for anything that kept it from checking', () => {
    expect(exitCodeOfError(new IntegrityError('differs', '1', '2'))).toBe(1);
    expect(exitCodeOfError(new TruncatedBodyError('cut short'))).toBe(1);
    expect(exitCodeOfError(new CancelledError())).toBe(130);
    expect(exitCodeOfError(new UsageError('bad flag'))).toBe(2);
    for (const kind of ['credentials', 'access-denied', 'no-such-bucket', 'network', 'server', 'timeout'] as const) {
      expect(exitCodeOfError(new StorageError(kind, kind)), kind).toBe(2);
    }
    expect(exitCodeOfError(new RangeError('Invalid string length'))).toBe(2);
    expect(exitCodeOfError('a thrown string')).toBe(2);
  });

  it('lets "could not check" win over a data problem in one run', () => {
    expect(exitCodeOfRun({ couldNotCheck: false, dataProblem: false })).toBe(0);
    expect(exitCodeOfRun({ couldNotCheck: false, dataProblem: true })).toBe(1);
    expect(exitCodeOfRun({ couldNotCheck: true, dataProblem: true })).toBe(2);
  });

  it('stops a run on access denied, rejected keys or a missing bucket, and on a service that answered nothing — not on short bodies', () => {
    const denied = new StorageError('access-denied', 'denied');
    expect(() => throwIfRunCouldNotCheck([new IntegrityError('x'), denied], 3)).toThrow(denied);
    const unreachable = [new StorageError('network', 'refused'), new StorageError('network', 'refused')];
    expect(() => throwIfRunCouldNotCheck(unreachable, 2)).toThrow('refused');
    expect(() => throwIfRunCouldNotCheck([new TruncatedBodyError('short'), new TruncatedBodyError('short')], 2)).not.toThrow();
    expect(() => throwIfRunCouldNotCheck([new StorageError('network', 'refused')], 2)).not.toThrow();
  });

  it('says the table in every usage, wrapped', () => {
    const text = exitStatusUsage('a CRC-64 differs', 'a copy onto itself');
    expect(text.replace(/\s+/g, ' ')).toMatch(
      /0 everything verified; 1 a data problem: a CRC-64 differs; 2 could not check: .*access denied.*a copy onto itself; 130 cancelled\./,
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(104);
  });
});
