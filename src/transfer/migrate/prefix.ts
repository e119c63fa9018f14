import * as l10n from '@vscode/l10n';
import { listObjects } from '../../storage/listing';
import { prefixesOverlap } from '../../storage/locationIdentity';
import type { ObjectInfo, ObjectStore } from '../../storage/types';
import { runLimited } from '../../util/concurrency';
import { isCancelled } from '../../util/errors';
import { PartBufferPool } from '../bufferPool';
import { identityOf, migrateObject } from './object';
import { DEFAULT_MIGRATE_CONCURRENCY, type MigrateProgress, type MigrateResult, type MigrateTuning } from './types';

/**
 * Every object under a prefix, migrated to another prefix (`cos://a/x/` → `oss://b/y/`: `x/k` lands at
 * `y/k`). Objects run a few at a time and share one pool of part buffers, so memory stays at
 * `partSize × concurrency` whatever the number or size of objects. A failed object does not stop the
 * others; the summary says what happened to each.
 */

export interface PrefixSide {
  store: ObjectStore;
  bucket: string;
  /** `""` for the whole bucket; otherwise normally ending with `/`. */
  prefix: string;
  service?: string;
}

export interface MigratePrefixOptions extends MigrateTuning {
  source: PrefixSide;
  destination: PrefixSide;
  /** Objects migrated at once (default 4). Parts in flight across all of them are bounded by `concurrency`. */
  objectConcurrency?: number;
  /** Bytes done over the objects started so far; `bytesTotal` grows as the listing goes on. */
  onProgress?: (progress: MigrateProgress & { objectsDone: number }) => void;
  /** Each object's outcome as soon as it is known. */
  onObject?: (outcome: MigrateOutcome) => void;
}

export type MigrateOutcome = { ok: true; result: MigrateResult } | { ok: false; key: string; destinationKey: string; error: Error };

export interface MigrateSummary {
  outcomes: MigrateOutcome[];
  verified: number;
  unverified: number;
  skipped: number;
  failed: number;
  bytes: number;
}

/** Refuses a destination prefix inside the source prefix of the same bucket (it would copy its own copies). */
export async function migratePrefix(options: MigratePrefixOptions): Promise<MigrateSummary> {
  const { source, destination } = options;
  if (overlaps(options)) {
    throw new Error(
      l10n.t(
        'The destination {0} overlaps the source {1}.',
        `${destination.bucket}/${destination.prefix}`,
        `${source.bucket}/${source.prefix}`,
      ),
    );
  }
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_MIGRATE_CONCURRENCY);
  const buffers = options.buffers ?? new PartBufferPool(concurrency);
  const outcomes: MigrateOutcome[] = [];
  const progress = { bytesDone: 0, bytesTotal: 0, objectsDone: 0 };
  await runLimited(
    objectsUnder(source.store, source.bucket, source.prefix, options.signal),
    options.objectConcurrency ?? DEFAULT_MIGRATE_CONCURRENCY,
    async (object) => {
      const destinationKey = destination.prefix + object.key.slice(source.prefix.length);
      progress.bytesTotal += object.size;
      let last = 0;
      const outcome = await migrateOne(options, buffers, object.key, destinationKey, (p) => {
        progress.bytesDone += p.bytesDone - last;
        last = p.bytesDone;
        options.onProgress?.({ ...progress });
      });
      progress.bytesDone += object.size - last;
      progress.objectsDone++;
      options.onProgress?.({ ...progress });
      outcomes.push(outcome);
      options.onObject?.(outcome);
    },
    { signal: options.signal },
  );
  return summarize(outcomes);
}

/** The objects under a prefix, page by page; a "folder" marker (a key ending in "/", no bytes) is none. */
export async function* objectsUnder(store: ObjectStore, bucket: string, prefix: string, signal?: AbortSignal): AsyncGenerator<ObjectInfo> {
  for await (const o of listObjects(store, bucket, prefix, { signal })) if (!(o.key.endsWith('/') && o.size === 0)) yield o;
}

async function migrateOne(
  options: MigratePrefixOptions,
  buffers: PartBufferPool,
  key: string,
  destinationKey: string,
  onProgress: (p: MigrateProgress) => void,
): Promise<MigrateOutcome> {
  const { source, destination } = options;
  try {
    const result = await migrateObject({
      ...options,
      buffers,
      source: { store: source.store, bucket: source.bucket, key, service: source.service },
      destination: { store: destination.store, bucket: destination.bucket, key: destinationKey, service: destination.service },
      onProgress,
    });
    return { ok: true, result };
  } catch (err) {
    if (isCancelled(err) || options.signal?.aborted) throw err;
    return { ok: false, key, destinationKey, error: err as Error };
  }
}

function overlaps(options: MigratePrefixOptions): boolean {
  const { source: s, destination: d } = options;
  return prefixesOverlap(identityOf({ ...s, key: s.prefix }), identityOf({ ...d, key: d.prefix }));
}

function summarize(outcomes: MigrateOutcome[]): MigrateSummary {
  const summary: MigrateSummary = { outcomes, verified: 0, unverified: 0, skipped: 0, failed: 0, bytes: 0 };
  for (const o of outcomes) {
    if (!o.ok) summary.failed++;
    else if (o.result.outcome === 'skipped') summary.skipped++;
    else {
      summary.bytes += o.result.size;
      if (o.result.verified) summary.verified++;
      else summary.unverified++;
    }
  }
  return summary;
}
