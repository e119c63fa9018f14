import { describe, expect, it } from 'vitest';
import type { VerifySummary } from '../../../src/integrity/verify/engine';
import { emptyCounts } from '../../../src/integrity/verify/outcome';
import type { InventoryConfig } from '../../../src/storage/types';
import { chooseInventory, CRC_INVENTORY_ID, reportLocation } from '../../../src/inventory/choice';
import { ENABLE_BUTTON, headCostText, noRecordQuestion, unservedQuestion } from '../../../src/ui/shared/noRecordQuestion';
import { allMatched } from '../../../src/ui/verify/verifyReport';
import { progressText } from '../../../src/ui/shared/checkProgress';

function config(over: Partial<InventoryConfig>): InventoryConfig {
  return { id: 'x', destination: { bucket: 'reports' }, format: 'CSV', frequency: 'Daily', fields: ['Size', 'ETag'], ...over };
}

describe('the inventory the verify commands use', () => {
  it('tells a bucket without inventory from one whose inventories lack Crc64', () => {
    expect(chooseInventory([])).toEqual({ kind: 'none' });
    expect(chooseInventory([config({ id: 'a' }), config({ id: 'b' })])).toEqual({ kind: 'no-crc64', ids: ['a', 'b'] });
  });

  it('prefers its own inventory, then enabled ones, and never one whose filter misses the prefix', () => {
    const other = config({ id: 'other', fields: ['Crc64'] });
    const own = config({ id: CRC_INVENTORY_ID, fields: ['Crc64'] });
    const narrow = config({ id: 'logs-only', fields: ['Crc64'], prefix: 'logs/' });
    const off = config({ id: 'off', fields: ['Crc64'], enabled: false });
    expect(chooseInventory([other, own])).toEqual({ kind: 'crc64', config: own });
    expect(chooseInventory([off, other])).toEqual({ kind: 'crc64', config: other });
    expect(chooseInventory([narrow], 'data/')).toEqual({ kind: 'no-crc64', ids: ['logs-only'] });
    expect(chooseInventory([narrow], 'logs/2024/')).toEqual({ kind: 'crc64', config: narrow });
  });

  it('finds the reports where the configuration writes them', () => {
    expect(reportLocation('cos', 'src-125', config({ id: 'i', destination: { bucket: 'dst-125', prefix: 'p' } }))).toEqual({
      provider: 'cos',
      sourceBucket: 'src-125',
      inventoryId: 'i',
      destinationBucket: 'dst-125',
      destinationPrefix: 'p',
    });
  });

  it('says what the HEAD fallback costs', () => {
    expect(headCostText(1_000_000)).toBe('about 1,000,000 HEAD requests (one per object)');
    expect(headCostText(undefined)).toMatch(/one HEAD request per object/);
  });

  it('asks before a verify the record cannot serve: HEAD at a stated cost, or enable an inventory', () => {
    const own = config({ id: CRC_INVENTORY_ID, fields: ['Crc64'] });
    const noReport = noRecordQuestion('b/data/', 'b', { kind: 'crc64', config: own }, undefined);
    expect(noReport.text).toMatch(
      /^The CRC inventory "bucket-integrity-crc" of b has written no report yet, so the CRC record knows nothing of b\/data\/\./,
    );
    expect(noReport.buttons).toEqual(['Verify with HEAD']);
    const noCrc = noRecordQuestion('b/', 'b', { kind: 'no-crc64', ids: ['daily'] }, 5);
    expect(noCrc.text).toMatch(
      /^The inventories of b \(daily\) were configured without the Crc64 field, so they hold no CRC-64\. .*about 5 HEAD requests/,
    );
    expect(noCrc.buttons).toEqual(['Verify with 5 HEAD requests', ENABLE_BUTTON]);
    const none = noRecordQuestion('b/', 'b', { kind: 'none' }, undefined);
    expect(none.text).toMatch(/^b has no inventory\..*one HEAD request per object/);
    expect(none.buttons).toEqual(['Verify with HEAD', ENABLE_BUTTON]);
    // Without the right to read inventory configurations, enabling one is not offered.
    expect(noRecordQuestion('b/', 'b', undefined, undefined).buttons).toEqual(['Verify with HEAD']);
    // Compare with Bucket asks the same, its button named for what it goes on to do.
    expect(noRecordQuestion('b/', 'b', { kind: 'no-crc64', ids: ['daily'] }, 5, 'compare').buttons).toEqual([
      'Compare with 5 HEAD requests',
      ENABLE_BUTTON,
    ]);
    expect(noRecordQuestion('b/', 'b', { kind: 'none' }, undefined, 'compare').buttons[0]).toBe('Compare with HEAD');
  });

  it('asks Compare with Bucket once for both sides: each reason, the total cost, Enable for the first side that can', () => {
    const crcless = { where: 'a/p/', bucket: 'a', choice: { kind: 'no-crc64' as const, ids: ['daily'] }, objects: 5 };
    const unreadable = { where: 'b/q/', bucket: 'b', choice: undefined, objects: undefined };
    const both = unservedQuestion([unreadable, crcless], 'compare');
    expect(both.text).toMatch(/configuration of b cannot be read[\s\S]*inventories of a \(daily\)/);
    expect(both.buttons).toEqual(['Compare with HEAD', ENABLE_BUTTON]);
    expect(both.enableSide).toBe(1);
    const counted = unservedQuestion([crcless, { ...crcless, where: 'c/', bucket: 'c', objects: 7 }], 'compare');
    expect(counted.buttons[0]).toBe('Compare with 12 HEAD requests');
    const none = unservedQuestion([unreadable], 'compare');
    expect(none.buttons).toEqual(['Compare with HEAD']);
    expect(none.enableSide).toBeUndefined();
  });
});

function summary(counts: Partial<VerifySummary['counts']>, extra: Partial<VerifySummary> = {}): VerifySummary {
  const c = { ...emptyCounts(), ...counts };
  c.total = Object.entries(c)
    .filter(([k]) => k !== 'total')
    .reduce((n, [, v]) => n + v, 0);
  return { runId: 'r', counts: c, requests: { list: 2, head: 1 }, resumed: false, seconds: 3, ...extra };
}

describe('verify progress', () => {
  it('shows progress with objects/s, ETA and HEAD requests', () => {
    expect(progressText({ phase: 'check', done: 12_345, total: 1_000_000, objectsPerSecond: 52_000, etaSeconds: 19, heads: 3 })).toMatch(
      /^12,345 of 1,000,000 objects · 52,000\/s · ETA .+ · 3 HEAD$/,
    );
    expect(progressText({ phase: 'check', done: 5, objectsPerSecond: 0, heads: 0 })).toBe('5 objects · 0/s · 0 HEAD');
    // Compare's phases, in the same words as before they became numbers.
    expect(progressText({ phase: 'list', done: 0 })).toBe('Listing local files and remote objects…');
    expect(progressText({ phase: 'head', done: 3, total: 8 })).toBe('Checking remote objects 3/8');
    expect(progressText({ phase: 'hash', done: 0, bytesDone: 50, bytesTotal: 200 })).toBe('Hashing local files 25%');
    expect(allMatched(summary({ match: 4 }))).toBe(true);
    expect(allMatched(summary({ match: 4, 'no-crc': 1 }))).toBe(false);
  });
});
