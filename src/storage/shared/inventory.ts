import * as l10n from '@vscode/l10n';
import { StorageError } from '../errors';
import type { InventoryConfig, InventoryField } from '../types';

/** What both clouds share about inventory configurations: the field names and what a valid one is. */

/** The neutral field names as both services spell them on the wire. */
const WIRE_FIELD: Record<InventoryField, string> = {
  Size: 'Size',
  LastModified: 'LastModifiedDate',
  ETag: 'ETag',
  StorageClass: 'StorageClass',
  Crc64: 'Crc64',
  IsMultipartUploaded: 'IsMultipartUploaded',
};

export function fieldsToWire(fields: readonly InventoryField[]): string[] {
  return fields.map((f) => WIRE_FIELD[f]);
}

/** Fields read back from the service; ones this project has no name for are left out. */
export function fieldsFromWire(fields: readonly unknown[]): InventoryField[] {
  const byWire = new Map(Object.entries(WIRE_FIELD).map(([neutral, wire]) => [wire, neutral as InventoryField]));
  return fields.map((f) => byWire.get(String(f).trim())).filter((f): f is InventoryField => f !== undefined);
}

/** `qcs::cos:ap-guangzhou::name-1250000000` or `acs:oss:::name` → the bucket name. */
export function bucketFromArn(arn: string): string {
  const i = arn.lastIndexOf(':');
  return i >= 0 ? arn.slice(i + 1) : arn;
}

/** A field of parsed XML as text (the SDKs give strings, or nothing for empty elements). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The elements of a repeated XML node, whether the SDK gave one object, an array or nothing. */
export function many<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null || (value as unknown) === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** A frequency as the service wrote it; anything unknown reads as Daily. */
export function frequencyFromWire(value: unknown): InventoryConfig['frequency'] {
  const f = text(value);
  return f === 'Weekly' || f === 'Monthly' ? f : 'Daily';
}

/** Refuse a configuration the services would refuse, before any request, saying what is wrong. */
export function checkInventoryConfig(config: InventoryConfig): void {
  const bad = (what: string): StorageError =>
    new StorageError(
      'invalid-request',
      l10n.t('The inventory configuration "{0}" is not valid: {1}.', config.id, what),
      l10n.t('Correct the configuration and retry.'),
    );
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(config.id)) throw bad(l10n.t('its id may hold only letters, digits, "-", "_" and ".", at most 64'));
  if (!config.destination?.bucket) throw bad(l10n.t('it needs a destination bucket'));
  if (config.format !== 'CSV') throw bad(l10n.t('the format must be CSV'));
  if (config.frequency !== 'Daily' && config.frequency !== 'Weekly')
    throw bad(l10n.t('the frequency must be Daily or Weekly (this project does not write Monthly ones)'));
  const unknown = config.fields.filter((f) => !(f in WIRE_FIELD));
  if (unknown.length > 0) throw bad(l10n.t('unknown field {0}', unknown.map((f) => `"${f}"`).join(', ')));
}
