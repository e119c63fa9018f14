import { canonicalService } from '../storage/locationIdentity';
import type { ConnectionOptions } from '../storage/types';

/**
 * How a copy between two places goes, decided once for the CLI (`cp`) and the Buckets view (Copy To…,
 * Move or Rename…, drag and drop): `server` when one set of keys reaches both buckets on the same cloud
 * and service (PUT Object - Copy / CopyObject, no byte through this process), `stream` (a verified
 * migration: GET → PUT or multipart upload) for another cloud, service or account.
 */
export type CopyMethod = 'server' | 'stream';

/** One side of a copy: its connection, and whether its keys were given for it alone. */
export interface CopyEndpoint {
  connection: Pick<ConnectionOptions, 'provider' | 'region' | 'endpoint' | 'credentials'>;
  /** Keys set for this side only (the CLI's BUCKET_INTEGRITY_DEST_*): always another account. */
  ownKeys?: boolean;
}

/** The service a connection talks to, canonical: two spellings of one endpoint are one service. */
export function serviceOf(connection: Pick<ConnectionOptions, 'provider' | 'region' | 'endpoint'>): string {
  return canonicalService(connection);
}

/** Same cloud, service and keys: a server-side copy can reach both buckets. */
export function sameAccount(a: CopyEndpoint, b: CopyEndpoint): boolean {
  const ka = a.connection.credentials;
  const kb = b.connection.credentials;
  return (
    a.connection.provider === b.connection.provider &&
    serviceOf(a.connection) === serviceOf(b.connection) &&
    ka.accessKeyId === kb.accessKeyId &&
    ka.secretAccessKey === kb.secretAccessKey &&
    ka.sessionToken === kb.sessionToken
  );
}

/** `server` within one cloud, service and account; `stream` (verified migration) otherwise. */
export function copyMethodFor(source: CopyEndpoint, destination: CopyEndpoint): CopyMethod {
  return sameAccount(source, destination) && !destination.ownKeys && !source.ownKeys ? 'server' : 'stream';
}
