import { judge, type Verdict } from '../verdict';
import type { SideEntry } from './side';

/**
 * The one verdict (`../verdict`) on a pair of objects of two buckets: the first side where Compare has
 * the local file, the second where it has the object. `+` only in the first, `-` only in the second, `?`
 * either side stored without a CRC-64. The details name the sides, as a reader of the report needs.
 */

export interface AuditResult {
  /** The key below each side's prefix. */
  path: string;
  status: Verdict;
  /** Sizes and CRC-64s (unsigned decimal) of the first and the second side, where known. */
  size1?: number;
  size2?: number;
  crc1?: string;
  crc2?: string;
  /** A CRC-64 computed from the bytes (`--download`): which side's. */
  downloaded?: 'first' | 'second' | 'both';
  detail?: string;
}

export const AUDIT_DETAIL = {
  onlyFirst: 'missing in the second bucket',
  onlySecond: 'missing in the first bucket',
  noCrc: (which: 'first' | 'second' | 'both'): string =>
    which === 'both' ? 'stored without a CRC-64 on both sides' : `stored without a CRC-64 in the ${which} bucket`,
  crcDiffers: 'CRC-64 differs',
  sizes: (a: number, b: number): string => `sizes differ (first ${a}, second ${b} bytes)`,
} as const;

function noCrcSide(a: SideEntry, b: SideEntry): 'first' | 'second' | 'both' {
  if (a.crc64 === undefined && b.crc64 === undefined) return 'both';
  return a.crc64 === undefined ? 'first' : 'second';
}

/**
 * Whether the pair is a plain match (same size, same CRC-64, nothing failed): `judgeObjects`' "match"
 * without a result built, for the audit's long runs where only the count of matches is kept.
 */
export function isPlainMatch(a: SideEntry, b: SideEntry): boolean {
  return a.error === undefined && b.error === undefined && a.size === b.size && a.crc64 !== undefined && a.crc64 === b.crc64;
}

/** The verdict on the object `path` as the first side (`a`) and the second (`b`) hold it. */
export function judgeObjects(a: SideEntry | undefined, b: SideEntry | undefined): AuditResult {
  const path = (a ?? b)!.path;
  const error = a?.error ?? b?.error;
  // judge() asks the local side for its CRC-64 only after the remote one: a first side without one is
  // the same "cannot be checked" as a second side without one.
  const firstLacks = a !== undefined && b !== undefined && !error && a.size === b.size && a.crc64 === undefined;
  // The entries are passed as they are (no copies: this runs for every pair of a ten-million-object audit).
  const { verdict } = judge({
    local: a,
    remote: b && firstLacks ? { size: b.size } : b,
    error: error !== undefined ? `${a?.error ? 'first' : 'second'} bucket: ${error}` : undefined,
  });
  const r: AuditResult = { path, status: verdict };
  if (a) r.size1 = a.size;
  if (b) r.size2 = b.size;
  if (a?.crc64 !== undefined) r.crc1 = a.crc64;
  if (b?.crc64 !== undefined) r.crc2 = b.crc64;
  if (verdict === 'match') return r;
  r.detail = detail(verdict, a, b, error);
  return r;
}

function detail(verdict: Verdict, a: SideEntry | undefined, b: SideEntry | undefined, error: string | undefined): string {
  switch (verdict) {
    case 'only-local':
      return AUDIT_DETAIL.onlyFirst;
    case 'only-remote':
      return AUDIT_DETAIL.onlySecond;
    case 'no-crc':
      return AUDIT_DETAIL.noCrc(noCrcSide(a!, b!));
    case 'differ':
      return a!.size !== b!.size ? AUDIT_DETAIL.sizes(a!.size, b!.size) : AUDIT_DETAIL.crcDiffers;
    default:
      return `${a?.error ? 'first' : 'second'} bucket: ${error}`;
  }
}
