import * as l10n from '@vscode/l10n';
import type { ProviderKind } from './types';

/**
 * Where a request signed with a set of keys goes: the cloud, its region and the endpoint. Keys are bound
 * to one destination (the editor asks before they go anywhere else), and plain HTTP is only for loopback.
 * These are the one home of both decisions; the editor and the CLI call them.
 */
export interface Destination {
  readonly provider: ProviderKind;
  readonly region: string;
  /** The endpoint in canonical form (`canonicalEndpoint`); `""` is the region's public (HTTPS) endpoint. */
  readonly endpoint: string;
}

/**
 * One spelling per endpoint, so a binding compares what requests reach, not how the URL was typed:
 * scheme and host lowercased (the URL parser does it), the scheme's default port and a trailing slash
 * dropped. `""` when there is none; text that is not a URL is kept as typed (it never equals a real one).
 */
export function canonicalEndpoint(endpoint: string | undefined): string {
  const text = endpoint?.trim() ?? '';
  if (!text) return '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

export function destinationOf(target: { provider: ProviderKind; region: string; endpoint?: string }): Destination {
  return { provider: target.provider, region: target.region.trim(), endpoint: canonicalEndpoint(target.endpoint) };
}

export function sameDestination(a: Destination, b: Destination): boolean {
  return a.provider === b.provider && a.region === b.region && a.endpoint === b.endpoint;
}

/** `cos, ap-guangzhou, https://…`, for questions and messages (a destination holds no secret). */
export function describeDestination(d: Destination): string {
  return `${d.provider}, ${d.region}, ${d.endpoint || 'the public endpoint of the region'}`;
}

const IPV4_LOOPBACK = /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/;

/**
 * 127.0.0.0/8, ::1 or `localhost` (as a URL's hostname gives them: `127.1` and `0x7f000001` are already
 * `127.0.0.1` there, and `::1` is `[::1]`). Nothing else: not `*.localhost`, not IPv4-mapped addresses.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '::1' || host === '[::1]' || IPV4_LOOPBACK.test(host);
}

/**
 * Why an endpoint must not get keys without the user's say-so: plain `http://` to anything but loopback,
 * where the key id, the signatures (replayable while valid) and an STS session token cross the network
 * readable by anyone on the path. `undefined` when it is fine (HTTPS, loopback, or the public endpoint).
 */
export function insecureEndpointProblem(endpoint: string | undefined): string | undefined {
  const text = endpoint?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined; // not a URL: refused elsewhere as malformed
  }
  if (url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return undefined;
  return l10n.t(
    'The endpoint {0} is plain HTTP to a host that is not this machine: the key id, request signatures and session tokens would travel in clear over the network.',
    canonicalEndpoint(text),
  );
}
