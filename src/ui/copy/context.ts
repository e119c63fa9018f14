import type { ObjectStore } from '../../storage/types';
import type { Logger } from '../logger';

/** What the copy commands need from the extension's services. */
export interface CopyFeature {
  readonly services: { storeFor(profileName: string): Promise<ObjectStore> };
  readonly log: Logger;
}

/** `bucket/key` typed by the user: the bucket, then the key (which may contain '/' but not end with one: that is a folder). */
export function parseDestination(text: string): { bucket: string; key: string } | undefined {
  const trimmed = text.trim().replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || trimmed.endsWith('/')) return undefined;
  return { bucket: trimmed.slice(0, slash), key: trimmed.slice(slash + 1) };
}
