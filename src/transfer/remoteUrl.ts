import type { ProviderKind } from '../storage/types';

/** A parsed `cos://bucket/key` or `oss://bucket/prefix/`. */
export interface RemoteUrl {
  provider: ProviderKind;
  bucket: string;
  /** Key or prefix; empty for the bucket root. */
  key: string;
}

/** Parse `cos://bucket/key` / `oss://bucket/prefix/`; returns `undefined` for anything else. */
export function parseRemoteUrl(text: string): RemoteUrl | undefined {
  const m = /^(cos|oss):\/\/([^/]+)(?:\/(.*))?$/.exec(text);
  if (!m) return undefined;
  return { provider: m[1] as ProviderKind, bucket: m[2], key: m[3] ?? '' };
}

export function formatRemoteUrl(u: RemoteUrl): string {
  return `${u.provider}://${u.bucket}/${u.key}`;
}
