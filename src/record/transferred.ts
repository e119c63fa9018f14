/**
 * What a verified transfer tells the record about an object. Kept apart from the record itself so the
 * editor's transfer commands can gather it without loading SQLite at activation.
 */

/** One transferred object as the record keeps it. */
export interface TransferredObject {
  key: string;
  size: number;
  /** The service's CRC-64 of the stored object (unsigned decimal). */
  crc64: string;
  etag?: string;
}

/** What a transfer result says of the stored object. */
interface TransferResult {
  key: string;
  size: number;
  verified: boolean;
  remoteCrc64?: string;
}

/** The verified files of a batch's outcomes, as the record keeps them. */
export function verifiedObjects(outcomes: readonly ({ ok: true; result: TransferResult } | { ok: false })[]): TransferredObject[] {
  return outcomes.flatMap((o) => (o.ok && o.result.verified && o.result.remoteCrc64 ? [{ key: o.result.key, size: o.result.size, crc64: o.result.remoteCrc64 }] : []));
}
