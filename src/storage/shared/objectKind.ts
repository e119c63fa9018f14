import type { ObjectInfo } from '../types';
import { header, objectSizeFromHeaders, type HeaderBag } from './headerBag';

/**
 * What kind of object a HEAD or GET answered about, from the headers both clouds name alike under their
 * prefix (`x-cos-` / `x-oss-`): its version id, its type (COS says `appendable`, OSS `Appendable`,
 * `Symlink`, …) and, for an appendable object, the position of the next append: the service's
 * `next-append-position` when the answer has it (OSS HEAD does), else the object's length — COS HEAD Object
 * documents no such header (only APPEND Object's answer has it), and its APPEND Object says a later append's
 * position is the object's content-length.
 */
export function objectKindFromHeaders(
  headers: HeaderBag | undefined,
  prefix: string,
): Pick<ObjectInfo, 'versionId' | 'objectType' | 'nextAppendPosition' | 'nextAppendPositionFrom'> {
  const out: Pick<ObjectInfo, 'versionId' | 'objectType' | 'nextAppendPosition' | 'nextAppendPositionFrom'> = {};
  const versionId = header(headers, `${prefix}version-id`);
  if (versionId) out.versionId = versionId;
  const type = header(headers, `${prefix}object-type`);
  if (type) out.objectType = type.charAt(0).toUpperCase() + type.slice(1).toLowerCase();
  if (out.objectType === 'Appendable') {
    const next = header(headers, `${prefix}next-append-position`);
    const said = next !== undefined && /^\d+$/.test(next.trim());
    out.nextAppendPosition = said ? Number(next) : objectSizeFromHeaders(headers);
    out.nextAppendPositionFrom = said ? 'header' : 'length';
  }
  return out;
}
