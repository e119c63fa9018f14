import type { BucketState, Store } from '../store';
import type { DialectName } from '../types';
import type { InventoryConfig } from './config';
import type { InventoryRegistry } from './registry';
import { reportVersions, versionedKeys } from '../versions/history';
import { writeInventoryReport, type ReportResult, type ReportSink, type ReportSource } from './report';

/** Report files become ordinary objects of the destination bucket (with their CRC-64, like any upload). */
function storeSink(store: Store, dest: BucketState): ReportSink {
  return async (key, body, contentType) => {
    const r = await store.receive(body);
    await store.commitObject(dest, r.tmpPath, {
      key,
      size: r.size,
      crc64: r.crc64,
      etag: `"${r.md5}"`,
      lastModified: Date.now(),
      contentType,
      type: 'Normal',
      userMeta: {},
    });
    return { size: r.size, md5: r.md5 };
  };
}

/** The emulator's inventory service: the stored configurations and what report runs need. */
export interface InventoryService {
  registry: InventoryRegistry;
  /** COS account id (COS report paths and the AppID column). */
  appId: string;
  /** Rows per data file; default 100,000. */
  rowsPerFile?: number;
}

export interface RunOptions {
  /** Rows per data file; default 100,000. */
  rowsPerFile?: number;
}

/** Write the report of one configuration (stored, or a COS one-time one) of `src` into its destination bucket. */
export async function runReport(
  store: Store,
  appId: string,
  src: BucketState,
  config: InventoryConfig,
  opts: RunOptions = {},
): Promise<ReportResult> {
  const dest = store.getBucket(src.dialect, config.destBucket);
  if (!dest) throw new Error(`the destination bucket "${config.destBucket}" of inventory "${config.id}" does not exist`);
  if (dest.owner !== src.owner) throw new Error(`the destination bucket "${config.destBucket}" belongs to another account`);
  // A report of all versions lists keys whose newest entry is a delete marker too.
  const all = config.includedObjectVersions === 'All';
  const source: ReportSource = {
    keysFrom: (prefix) => (all ? versionedKeys(src, prefix, '') : src.objects.keysFrom(prefix)),
    get: (key) => src.objects.get(key),
    versionsOf: (key) => reportVersions(src, key),
  };
  return writeInventoryReport(source, storeSink(store, dest), {
    dialect: src.dialect,
    srcBucket: src.name,
    appId,
    config,
    rowsPerFile: opts.rowsPerFile,
  });
}

/** "Run inventory now" for a stored configuration (the control API and `emulator.runInventory`). */
export async function runInventory(
  store: Store,
  service: InventoryService,
  dialect: DialectName,
  bucket: string,
  id: string,
  opts: RunOptions = {},
): Promise<ReportResult> {
  if (dialect !== 'cos' && dialect !== 'oss') throw new Error('dialect must be cos or oss');
  const src = store.getBucket(dialect, bucket);
  if (!src) throw new Error(`no ${dialect} bucket "${bucket}"`);
  const stored = await service.registry.get(src, id);
  if (!stored) throw new Error(`bucket "${bucket}" has no inventory "${id}"`);
  if (!stored.config.enabled) throw new Error(`inventory "${id}" of bucket "${bucket}" is disabled (IsEnabled false)`);
  return runReport(store, service.appId, src, stored.config, { rowsPerFile: opts.rowsPerFile ?? service.rowsPerFile });
}
