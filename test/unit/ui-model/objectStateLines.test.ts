import { describe, expect, it } from 'vitest';
import { objectStateDescription, objectStateLines } from '../../../src/ui/buckets/objectStateLines';
import { objectTooltip } from '../../../src/ui/buckets/presentation';

describe("an object's storage class, restore state and encryption in the tree", () => {
  const now = Date.UTC(2026, 0, 1);
  it('hover lines: restore state only for archive classes, encryption only when told', () => {
    expect(objectStateLines({ storageClass: 'STANDARD' }, true, now)).toEqual([]);
    expect(objectStateLines({ storageClass: 'ARCHIVE' }, false, now)).toEqual([
      'Restore: archived unless restored (hover again to read its state)',
    ]);
    expect(objectStateLines({ storageClass: 'ARCHIVE' }, true, now)[0]).toMatch(/^Restore: not restored — Restore…/);
    expect(objectStateLines({ storageClass: 'Archive', restore: { ongoing: true } }, true, now)).toEqual(['Restore: in progress']);
    expect(objectStateLines({ storageClass: 'Archive', restore: { ongoing: false, expiry: new Date(now + 60_000) } }, true, now)).toEqual([
      'Restore: restored, readable until 2026-01-01T00:01:00.000Z',
    ]);
    expect(objectStateLines({ storageClass: 'STANDARD', encryption: 'SSE-C' }, true, now)).toEqual(['Encryption: SSE-C (customer key)']);
  });

  it('description: the class when not standard, with the restore state', () => {
    expect(objectStateDescription({ storageClass: 'STANDARD' })).toBeUndefined();
    expect(objectStateDescription({ storageClass: 'Standard' })).toBeUndefined();
    expect(objectStateDescription({ storageClass: 'IA' })).toBe('IA');
    expect(objectStateDescription({ storageClass: 'DEEP_ARCHIVE' }, now)).toBe('DEEP_ARCHIVE');
    expect(objectStateDescription({ storageClass: 'ColdArchive', restore: { ongoing: true } }, now)).toBe('ColdArchive, restoring');
  });

  it('the tooltip carries the lines after the storage class', () => {
    const t = objectTooltip('b', { key: 'k', size: 1, storageClass: 'ARCHIVE', encryption: 'KMS', crc64: '1' });
    expect(t).toMatch(/Storage class: ARCHIVE\nRestore: not restored[^\n]*\nEncryption: SSE-KMS \(KMS\)\nETag/);
  });
});
