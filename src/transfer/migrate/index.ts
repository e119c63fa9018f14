/** Migration between object stores (cloud to cloud, account to account) with no local disk, verified by CRC-64. */
export { identityOf, migrateObject, sameObject } from './object';
export {
  migratePrefix,
  objectsUnder,
  type MigrateOutcome,
  type MigratePrefixOptions,
  type MigrateSummary,
  type PrefixSide,
} from './prefix';
export { MigrationCheckpointStore, type MigrationCheckpoint, type MigrationEnd, type MigrationTarget } from './checkpoint';
export { SourceChangedError } from './sourceStream';
export * from './types';
