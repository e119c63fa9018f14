import { describe, expect, it } from 'vitest';
import type { VerifySummary } from '../../../src/integrity/verify/engine';
import { emptyCounts, type VerifyResult } from '../../../src/integrity/verify/outcome';
import type { InventoryConfig } from '../../../src/storage/types';
import { checkInventoryConfig } from '../../../src/storage/shared/inventory';
import { chooseInventory, CRC_INVENTORY_ID, crcInventoryConfig, ENABLE_BUTTON, headCostText, IMPORT_BUTTON, inventoryLocation, noRecordQuestion } from '../../../src/ui/verify/inventoryPlan';
import { allMatched, progressText, verifyReportText } from '../../../src/ui/verify/verifyReport';

function config(over: Partial<InventoryConfig>): InventoryConfig {
  return { id: 'x', destination: { bucket: 'reports' }, format: 'CSV', frequency: 'Daily', fields: ['Size', 'ETag'], ...over };
}

describe('the inventory "Enable CRC Inventory…" writes and the one the verify commands use', () => {
  it('configures a daily CSV inventory with Crc64, Size, ETag, LastModified and StorageClass that the storage layer accepts', () => {
    const c = crcInventoryConfig({ destinationBucket: 'reports-1250000000', reportPrefix: '/inv/' });
    expect(c).toMatchObject({ id: CRC_INVENTORY_ID, format: 'CSV', frequency: 'Daily', destination: { bucket: 'reports-1250000000', prefix: 'inv' } });
    expect([...c.fields].sort()).toEqual(['Crc64', 'ETag', 'LastModified', 'Size', 'StorageClass']);
    expect(() => checkInventoryConfig(c)).not.toThrow();
    expect(crcInventoryConfig({ destinationBucket: 'd', reportPrefix: '', accountId: '123', roleName: 'R' }).destination).toEqual({ bucket: 'd', accountId: '123', roleName: 'R' });
  });

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
    expect(inventoryLocation('cos', 'src-125', config({ id: 'i', destination: { bucket: 'dst-125', prefix: 'p' } }))).toEqual({
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

  it('asks before a verify the record cannot serve: import, or HEAD at a stated cost, or enable an inventory', () => {
    const own = config({ id: CRC_INVENTORY_ID, fields: ['Crc64'] });
    const withCrc = noRecordQuestion('b/data/', 'b', { kind: 'crc64', config: own }, 20_000);
    expect(withCrc.buttons).toEqual([IMPORT_BUTTON, 'Verify with 20,000 HEAD requests']);
    expect(withCrc.text).toMatch(/knows nothing of b\/data\/ yet\. Import the CRC inventory "bucket-integrity-crc" first.*about 20,000 HEAD requests/);
    const noCrc = noRecordQuestion('b/', 'b', { kind: 'no-crc64', ids: ['daily'] }, 5);
    expect(noCrc.text).toMatch(/^The inventories of b \(daily\) were configured without the Crc64 field, so they hold no CRC-64\. .*about 5 HEAD requests/);
    expect(noCrc.buttons).toEqual(['Verify with 5 HEAD requests', ENABLE_BUTTON]);
    const none = noRecordQuestion('b/', 'b', { kind: 'none' }, undefined);
    expect(none.text).toMatch(/^b has no inventory\..*one HEAD request per object/);
    expect(none.buttons).toEqual(['Verify with HEAD', ENABLE_BUTTON]);
    // Without the right to read inventory configurations, enabling one is not offered.
    expect(noRecordQuestion('b/', 'b', undefined, undefined).buttons).toEqual(['Verify with HEAD']);
  });
});

function summary(counts: Partial<VerifySummary['counts']>, extra: Partial<VerifySummary> = {}): VerifySummary {
  const c = { ...emptyCounts(), ...counts };
  c.total = Object.entries(c).filter(([k]) => k !== 'total').reduce((n, [, v]) => n + v, 0);
  return { runId: 'r', counts: c, requests: { list: 2, head: 1 }, resumed: false, seconds: 3, ...extra };
}

describe('the verify report document', () => {
  const issues: VerifyResult[] = [
    { key: 'data/a.bin', status: 'differ', detail: 'CRC-64 changed from 1 to 2 while the ETag and size stayed the same' },
    { key: 'data/sub/b.bin', status: 'only-remote' },
    { key: 'data/c.bin', status: 'no-crc' },
  ];

  it('reads like rclone check --combined: counts, then one line per object relative to the prefix', () => {
    const text = verifyReportText({
      remote: 'cos://b-125/data/',
      prefix: 'data/',
      checkedAt: new Date('2026-01-02T03:04:05.678Z'),
      summary: summary({ match: 2, differ: 1, 'only-remote': 1, 'no-crc': 1 }),
      issues,
      matches: ['data/m1', 'data/m2'],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Verify cos://b-125/data/ against the CRC record');
    expect(lines[1]).toMatch(/^Checked 2026-01-02 03:04:05 UTC in /);
    expect(lines[2]).toBe('5 objects: 2 = match, 1 * differ, 0 + only-local, 1 - only-remote, 1 ? no-crc, 0 ! error');
    expect(lines[3]).toBe('Requests: 2 list, 1 HEAD');
    expect(lines.slice(6, 11)).toEqual(['* a.bin  (CRC-64 changed from 1 to 2 while the ETag and size stayed the same)', '- sub/b.bin', '? c.bin', '= m1', '= m2']);
  });

  it('names the local folder, and points to the export when the list is cut', () => {
    const text = verifyReportText({ remote: 'oss://b/', localDir: '/w/data', prefix: '', checkedAt: new Date(), summary: summary({ differ: 3 }), issues, limit: 1 });
    expect(text.split('\n')[0]).toBe('Verify oss://b/ against /w/data');
    expect(text).toContain('… and 2 more; export the report (CSV or JSON) for all of them');
    expect(text).not.toContain('sub/b.bin');
  });

  it('shows progress with objects/s, ETA and HEAD requests', () => {
    expect(progressText({ done: 12_345, total: 1_000_000, objectsPerSecond: 52_000, etaSeconds: 19, heads: 3 })).toMatch(/^12,345 of 1,000,000 objects · 52,000\/s · ETA .+ · 3 HEAD$/);
    expect(progressText({ done: 5, objectsPerSecond: 0, heads: 0 })).toBe('5 objects · 0/s · 0 HEAD');
    expect(allMatched(summary({ match: 4 }))).toBe(true);
    expect(allMatched(summary({ match: 4, 'no-crc': 1 }))).toBe(false);
  });
});
