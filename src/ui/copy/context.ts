import type { ObjectStore } from '../../storage/types';
import type { CopyEndpoint } from '../../transfer/copyMethod';
import type { MigrationCheckpointStore } from '../../transfer/migrate';
import type { Logger } from '../logger';
import type { ResultsModel } from '../../integrity/results';
import type { RecordAccess } from '../shared/recordAccess';

/** What the copy commands need from the extension's services. */
export interface CopyFeature {
  readonly services: { storeFor(profileName: string): Promise<ObjectStore>; readonly results: ResultsModel; readonly record: RecordAccess };
  readonly log: Logger;
  /** Every profile's name, for the destination prompt. */
  profileNames(): string[];
  /** A profile's connection, for the core rule that picks server-side copy or migration. */
  endpointOf(profileName: string): Promise<CopyEndpoint>;
  /** Resume checkpoints of streamed migrations. */
  readonly migrationCheckpoints: MigrationCheckpointStore;
}

/** `bucket/key` typed by the user: the bucket, then the key (which may contain '/' but not end with one: that is a folder). */
export function parseDestination(text: string): { bucket: string; key: string } | undefined {
  const trimmed = text.trim().replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || trimmed.endsWith('/')) return undefined;
  return { bucket: trimmed.slice(0, slash), key: trimmed.slice(slash + 1) };
}
