/**
 * Remote objects opened as documents are named `cos://<profile>/<bucket>/<key>` and
 * `oss://<profile>/<bucket>/<key>`: the scheme is the cloud, the authority the profile, the path the
 * bucket and key. (The Buckets view's badge keys use their own `bucket-integrity:` scheme.) These helpers
 * are editor-free so they can be unit-tested; `vscode.Uri.from` does the percent-encoding.
 */

import { PROVIDER_KINDS } from '../../storage/traits';
import type { ProviderKind } from '../../storage/types';

export const DOCUMENT_SCHEMES: readonly ProviderKind[] = PROVIDER_KINDS;

export interface DocumentLocation {
  provider: ProviderKind;
  profile: string;
  /** Absent for the profile's root (its buckets). */
  bucket?: string;
  /** Object key, or a prefix ending with '/' for a folder; '' for the bucket root. */
  key: string;
}

/** The parts of a URI for `vscode.Uri.from`. */
export function documentUriParts(location: DocumentLocation): { scheme: string; authority: string; path: string } {
  const path = location.bucket === undefined ? '/' : `/${location.bucket}/${location.key}`;
  return { scheme: location.provider, authority: location.profile, path };
}

/**
 * Reads a document URI's parts; undefined for another scheme or without a profile. A path ending with
 * '/' names a folder (its key is the prefix).
 */
export function parseDocumentUri(uri: { scheme: string; authority: string; path: string }): DocumentLocation | undefined {
  const provider = DOCUMENT_SCHEMES.find((s) => s === uri.scheme);
  if (!provider || !uri.authority) return undefined;
  const path = uri.path.replace(/^\/+/, '');
  if (path === '') return { provider, profile: uri.authority, key: '' };
  const slash = path.indexOf('/');
  if (slash < 0) return { provider, profile: uri.authority, bucket: path, key: '' };
  return { provider, profile: uri.authority, bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** The prefix to list for a location: '' for the bucket root, otherwise the key with one trailing '/'. */
export function listingPrefix(key: string): string {
  return key === '' ? '' : key.replace(/\/*$/, '/');
}

/**
 * The profile a URI's authority names. The editor may hand a document's URI back with its authority in
 * lower case (authorities are case-insensitive), so a name that matches no profile exactly is matched
 * ignoring case — when exactly one profile fits.
 */
export function profileForAuthority<P extends { name: string }>(profiles: readonly P[], authority: string): P | undefined {
  const exact = profiles.find((p) => p.name === authority);
  if (exact) return exact;
  const lower = authority.toLowerCase();
  const fits = profiles.filter((p) => p.name.toLowerCase() === lower);
  return fits.length === 1 ? fits[0] : undefined;
}
