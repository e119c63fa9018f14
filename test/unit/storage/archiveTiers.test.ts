import { describe, expect, it } from 'vitest';
import { isArchived, readability, stateFromHeaders } from '../../../src/storage/objectState';
import { objectStateDescription, objectStateLines } from '../../../src/ui/buckets/objectStateLines';

/** COS INTELLIGENT_TIERING objects in an archive tier are archived as an archive class is; other tiers are not. */

describe('INTELLIGENT_TIERING tiers', () => {
  it('reads x-cos-storage-tier and calls its archive tiers archived (COS and S3 spellings)', () => {
    expect(stateFromHeaders({ 'x-cos-storage-tier': 'ARCHIVE' }, 'x-cos-')).toEqual({ storageTier: 'ARCHIVE' });
    for (const tier of ['ARCHIVE', 'DEEP_ARCHIVE', 'ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS']) {
      expect(isArchived({ storageClass: 'INTELLIGENT_TIERING', storageTier: tier })).toBe(true);
      expect(isArchived({ storageClass: 'MAZ_INTELLIGENT_TIERING', storageTier: tier })).toBe(true);
    }
    for (const tier of ['FREQUENT', 'INFREQUENT', undefined]) {
      expect(isArchived({ storageClass: 'INTELLIGENT_TIERING', storageTier: tier })).toBe(false);
    }
    // A tier says nothing of another class.
    expect(isArchived({ storageClass: 'STANDARD', storageTier: 'ARCHIVE' })).toBe(false);
    expect(isArchived({ storageClass: 'ColdArchive' })).toBe(true);
    expect(isArchived({ storageClass: 'DeepColdArchive' })).toBe(true);
  });

  it('a tiered archived object restores like an archive class, and the tree names its tier', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const cold = { storageClass: 'INTELLIGENT_TIERING', storageTier: 'ARCHIVE' };
    expect(readability(cold, now)).toBe('archived');
    expect(readability({ ...cold, restore: { ongoing: true } }, now)).toBe('restoring');
    expect(readability({ ...cold, restore: { ongoing: false, expiry: new Date(now + 1000) } }, now)).toBe('restored');
    expect(objectStateDescription(cold, now)).toBe('INTELLIGENT_TIERING (ARCHIVE)');
    expect(objectStateDescription({ ...cold, restore: { ongoing: true } }, now)).toBe('INTELLIGENT_TIERING (ARCHIVE), restoring');
    expect(objectStateDescription({ storageClass: 'INTELLIGENT_TIERING', storageTier: 'FREQUENT' }, now)).toBe(
      'INTELLIGENT_TIERING (FREQUENT)',
    );
    expect(objectStateLines(cold, true, now).join('\n')).toMatch(/Restore: not restored/);
    expect(objectStateLines({ storageClass: 'INTELLIGENT_TIERING', storageTier: 'INFREQUENT' }, true, now)).toEqual([]);
  });
});
