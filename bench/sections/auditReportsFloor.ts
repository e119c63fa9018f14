import { createGunzip } from 'node:zlib';
import { findLatestManifest, type InventoryLocation } from '../../src/inventory';
import type { ObjectStore } from '../../src/storage/types';

/**
 * The floor of an audit judged from the two reports as they stream (`--stream-reports`), measured in the
 * same run: both reports' data files fetched through the same stores and unpacked, both sides at once, one
 * file after another each — every byte the route must read, and nothing parsed, merged or judged.
 */

export interface ReportsFloor {
  seconds: number;
  files: number;
  /** Unpacked bytes of both reports. */
  bytes: number;
}

async function unpackAll(store: ObjectStore, location: InventoryLocation): Promise<{ files: number; bytes: number }> {
  const { manifest } = await findLatestManifest(store, location);
  let bytes = 0;
  for (const file of manifest.files) {
    const { body } = await store.get(location.destinationBucket, file.key);
    const gunzip = createGunzip();
    body.pipe(gunzip);
    for await (const chunk of gunzip as AsyncIterable<Buffer>) bytes += chunk.length;
  }
  return { files: manifest.files.length, bytes };
}

export async function auditReportsFloor(sides: Array<{ store: ObjectStore; location: InventoryLocation }>): Promise<ReportsFloor> {
  const t0 = process.hrtime.bigint();
  const done = await Promise.all(sides.map((s) => unpackAll(s.store, s.location)));
  return {
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    files: done.reduce((s, d) => s + d.files, 0),
    bytes: done.reduce((s, d) => s + d.bytes, 0),
  };
}
