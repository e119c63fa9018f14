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
  return outcomes.flatMap((o) =>
    o.ok && o.result.verified && o.result.remoteCrc64 ? [{ key: o.result.key, size: o.result.size, crc64: o.result.remoteCrc64 }] : [],
  );
}

/** Anything that lends the open record (the editor's record access). */
export interface RecordLender<R> {
  use<T>(work: (record: R) => T | Promise<T>): Promise<T>;
}

/**
 * Remembers the verified files of a batch whose outcomes span buckets: one transaction for all of them.
 * Resolves to how many objects were recorded; a record that cannot be had is reported to `log`, never thrown.
 */
export async function rememberTransfers<R extends RecordWriter>(
  lender: RecordLender<R>,
  source: 'upload' | 'download',
  outcomes: readonly (({ ok: true; result: TransferResult } | { ok: false }) & { profile: string; bucket: string })[],
  log: (line: string) => void,
): Promise<number> {
  const groups = new Map<string, { scope: { profile: string; bucket: string }; objects: TransferredObject[] }>();
  for (const o of outcomes) {
    const [object] = verifiedObjects([o]);
    if (!object) continue;
    const id = JSON.stringify([o.profile, o.bucket]);
    const group = groups.get(id) ?? { scope: { profile: o.profile, bucket: o.bucket }, objects: [] };
    group.objects.push(object);
    groups.set(id, group);
  }
  if (groups.size === 0) return 0;
  try {
    return await lender.use((record) =>
      record.transaction(() => {
        let n = 0;
        for (const g of groups.values()) {
          record.objects.upsertMany(
            g.scope,
            g.objects.map((obj) => ({ ...obj, source })),
          );
          n += g.objects.length;
        }
        return n;
      }),
    );
  } catch (err) {
    log(`The CRC record was not updated (${(err as Error).message}); the transfer is not affected.`);
    return 0;
  }
}

/** The part of the record `rememberTransfers` writes with. */
export interface RecordWriter {
  transaction<T>(fn: () => T): T;
  objects: {
    upsertMany(
      scope: { profile: string; bucket: string },
      rows: ReadonlyArray<TransferredObject & { source: 'upload' | 'download' }>,
    ): void;
  };
}
