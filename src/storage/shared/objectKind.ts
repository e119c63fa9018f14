import type { ObjectInfo } from '../types';
import { header, objectSizeFromHeaders, type HeaderBag } from './headerBag';

/**
 * What kind of object a HEAD or GET answered about, from the headers both clouds name alike under their
 * prefix (`x-cos-` / `x-oss-`): its version id, its type (COS says `appendable`, OSS `Appendable`,
 * `Symlink`, …) and, for an appendable object, the position of the next append. COS HEAD gives no
 * `next-append-position`: an append must start at the object's length, so that is the position.
 */
export function objectKindFromHeaders(
  headers: HeaderBag | undefined,
  prefix: string,
): Pick<ObjectInfo, 'versionId' | 'objectType' | 'nextAppendPosition'> {
  const out: Pick<ObjectInfo, 'versionId' | 'objectType' | 'nextAppendPosition'> = {};
  const versionId = header(headers, `${prefix}version-id`);
  if (versionId) out.versionId = versionId;
  const type = header(headers, `${prefix}object-type`);
  if (type) out.objectType = type.charAt(0).toUpperCase() + type.slice(1).toLowerCase();
  if (out.objectType === 'Appendable') {
    const next = header(headers, `${prefix}next-append-position`);
    out.nextAppendPosition = next !== undefined && /^\d+$/.test(next.trim()) ? Number(next) : objectSizeFromHeaders(headers);
  }
  return out;
}
