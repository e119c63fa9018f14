import { isLoopbackHost } from './destination';
import type { ConnectionOptions, ProviderKind } from './types';

/**
 * Which object is this: the one home of every "same object" decision (a copy onto itself, a move, a
 * recursive copy into its own prefix, an upload or download onto itself, a tree move or rename, a drop).
 * Names are compared only after canonicalisation; two spellings of one place must never look like two.
 *
 * The service is where the requests land, whatever the spelling:
 * - no endpoint: the region's public endpoint (`cos.<region>.myqcloud.com`, `oss-<region>.aliyuncs.com`);
 * - a public cloud host: reduced to that same form (bucket label, `-internal`, `tencentcos.cn`, scheme and
 *   port dropped: they reach the same buckets);
 * - any other host (a private endpoint, the emulator): `host:port` with the host lower-cased, the scheme's
 *   default port filled in, every loopback spelling (`localhost`, `127.x.x.x`, `[::1]`) one name, the path
 *   and a trailing slash ignored (the adapters send requests to the host alone).
 */

export interface LocationIdentity {
  provider: ProviderKind;
  /** Canonical service, e.g. `cos.ap-guangzhou.myqcloud.com` or `loopback:9000`. */
  service: string;
  bucket: string;
  key: string;
}

type ServicePlace = Pick<ConnectionOptions, 'provider' | 'region' | 'endpoint'>;

const LOOPBACK = 'loopback';

/** OSS regions are `oss-cn-hangzhou` in host names; users write both. */
const ossRegionName = (region: string): string => region.trim().toLowerCase().replace(/^oss-/, '');
const cosRegionName = (region: string): string => region.trim().toLowerCase();

const cosPublic = (region: string): string => `cos.${cosRegionName(region)}.myqcloud.com`;
const ossPublic = (region: string): string => `oss-${ossRegionName(region)}.aliyuncs.com`;

/**
 * COS public hosts: `[bucket.]cos.<region>.myqcloud.com` or `.tencentcos.cn`, and the global accelerate
 * host (whose region is the connection's).
 */
function cosCloudHost(host: string, region: string): string | undefined {
  const m = /(?:^|\.)cos(?:-internal)?\.([a-z0-9-]+)\.(?:myqcloud\.com|tencentcos\.cn)$/.exec(host);
  if (m) return cosPublic(m[1] === 'accelerate' ? region : m[1]);
  return undefined;
}

/** OSS public hosts: `[bucket.]oss-<region>[-internal].aliyuncs.com`, and `oss-accelerate[-overseas]`. */
function ossCloudHost(host: string, region: string): string | undefined {
  const m = /(?:^|\.)oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$/.exec(host);
  if (!m) return undefined;
  return ossPublic(m[1] === 'accelerate' || m[1] === 'accelerate-overseas' ? region : m[1]);
}

/**
 * This machine, however written. The keys policy's loopback (`isLoopbackHost`: the hosts plain HTTP may
 * go to) plus what also reaches this machine when connected to: `0.0.0.0`, `::`, `*.localhost` and
 * IPv4-mapped `::ffff:127.x` (which the URL parser writes `[::ffff:7f00:1]`). Wider on purpose: here,
 * taking two spellings for one place only refuses a copy, while taking one place for two loses data.
 */
function isLoopback(hostname: string): boolean {
  if (isLoopbackHost(hostname)) return true;
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h.endsWith('.localhost') || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(h);
}

/** The endpoint as a URL; a bare host (no scheme) is read as https. Undefined when it is not a URL at all. */
function endpointUrl(endpoint: string): URL | undefined {
  const text = endpoint.trim();
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
}

/** The canonical service a connection reaches (see the module comment). */
export function canonicalService(place: ServicePlace): string {
  const region = place.region ?? '';
  const endpoint = place.endpoint?.trim();
  if (!endpoint) return place.provider === 'cos' ? cosPublic(region) : ossPublic(region);
  const url = endpointUrl(endpoint);
  // Not a URL: the adapters refuse it anyway; compare it as written, in one case.
  if (!url) return endpoint.toLowerCase().replace(/\/+$/, '');
  const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  const cloud = place.provider === 'cos' ? cosCloudHost(hostname, region) : ossCloudHost(hostname, region);
  if (cloud) return cloud;
  const port = url.port || (url.protocol === 'http:' ? '80' : '443');
  return `${isLoopback(hostname) ? LOOPBACK : hostname}:${port}`;
}

/**
 * The region a public cloud endpoint names (`cos.ap-guangzhou.myqcloud.com`, `oss-cn-hangzhou.aliyuncs.com`,
 * with or without a bucket or a scheme); undefined for any other host (the emulator, an accelerate host).
 */
export function regionOfEndpoint(provider: ProviderKind, endpoint: string): string | undefined {
  const url = endpointUrl(endpoint);
  if (!url) return undefined;
  const service = provider === 'cos' ? cosCloudHost(url.hostname.toLowerCase(), '') : ossCloudHost(url.hostname.toLowerCase(), '');
  const m = service && (provider === 'cos' ? /^cos\.([a-z0-9-]+)\.myqcloud\.com$/ : /^oss-([a-z0-9-]+)\.aliyuncs\.com$/).exec(service);
  if (!m || !m[1]) return undefined;
  return provider === 'oss' ? `oss-${m[1]}` : m[1];
}

/** The identity of one object (or, with a prefix for `key`, of one place under a bucket). */
export function locationOf(place: ServicePlace, bucket: string, key: string): LocationIdentity {
  return identityAt(place.provider, canonicalService(place), bucket, key);
}

/** The same, for a service already made canonical (`canonicalService`). Bucket names are lower-case on both clouds. */
export function identityAt(provider: ProviderKind, service: string, bucket: string, key: string): LocationIdentity {
  return { provider, service, bucket: bucket.trim().toLowerCase(), key };
}

/** Same cloud, service and bucket. */
export function sameBucket(a: LocationIdentity, b: LocationIdentity): boolean {
  return a.provider === b.provider && a.service === b.service && a.bucket === b.bucket;
}

/** The same object, however its endpoint was spelled. */
export function sameLocation(a: LocationIdentity, b: LocationIdentity): boolean {
  return sameBucket(a, b) && a.key === b.key;
}

/** Two prefixes of one bucket where one contains the other: a recursive copy would read what it writes. */
export function prefixesOverlap(a: LocationIdentity, b: LocationIdentity): boolean {
  return sameBucket(a, b) && (a.key.startsWith(b.key) || b.key.startsWith(a.key));
}

/** `cos://bucket/key @ service`, for messages. */
export function describeLocation(l: LocationIdentity): string {
  return `${l.provider}://${l.bucket}/${l.key} (${l.service})`;
}
