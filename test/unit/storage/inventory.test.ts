import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/storage/errors';
import { bucketFromArn, checkInventoryConfig, fieldsFromWire, fieldsToWire, many } from '../../../src/storage/shared/inventory';
import type { InventoryConfig } from '../../../src/storage/types';

const valid: InventoryConfig = {
  id: 'crc-daily.v1_x',
  destination: { bucket: 'reports-1250000000' },
  format: 'CSV',
  frequency: 'Daily',
  fields: ['Size', 'LastModified', 'ETag', 'StorageClass', 'Crc64'],
};

describe('inventory configuration helpers', () => {
  it('names fields as both services do on the wire (LastModified is LastModifiedDate) and back', () => {
    expect(fieldsToWire(valid.fields)).toEqual(['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'Crc64']);
    expect(fieldsFromWire(['Size', 'LastModifiedDate', ' Crc64 ', 'Tag', 'ObjectAcl'])).toEqual(['Size', 'LastModified', 'Crc64']);
  });

  it('reads the bucket out of either service’s resource name', () => {
    expect(bucketFromArn('qcs::cos:ap-guangzhou::reports-1250000000')).toBe('reports-1250000000');
    expect(bucketFromArn('acs:oss:::reports')).toBe('reports');
    expect(bucketFromArn('plain')).toBe('plain');
  });

  it('treats one parsed XML element, an array or nothing alike', () => {
    expect(many(undefined)).toEqual([]);
    expect(many('')).toEqual([]);
    expect(many({ a: 1 })).toEqual([{ a: 1 }]);
    expect(many([1, 2])).toEqual([1, 2]);
  });

  it.each([
    [{ id: 'has space' }, /id/],
    [{ id: 'x'.repeat(65) }, /id/],
    [{ destination: { bucket: '' } }, /destination bucket/],
    [{ format: 'ORC' }, /CSV/],
    [{ frequency: 'Hourly' }, /Daily or Weekly/],
    [{ fields: ['Size', 'Owner'] }, /"Owner"/],
  ])('refuses %j with a message saying what is wrong', (over, message) => {
    const config = { ...valid, ...over } as InventoryConfig;
    expect(() => checkInventoryConfig(config)).toThrow(StorageError);
    expect(() => checkInventoryConfig(config)).toThrow(message);
  });

  it('accepts a valid configuration', () => {
    expect(() => checkInventoryConfig(valid)).not.toThrow();
  });
});
