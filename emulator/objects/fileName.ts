import { createHash } from 'node:crypto';

/** The name of an object's data file: a hash of its key, so any key is a safe file name. */
export function objectFileName(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
