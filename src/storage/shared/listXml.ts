/**
 * A ListBucketResult page (COS GET Bucket, OSS ListObjectsV2) read straight from its XML. The SDKs turn
 * each 1,000-key page into a generic object tree first, which costs more than all the rest of a listing;
 * the answer's shape is fixed and flat, so the few elements a listing needs are picked out directly. The
 * SDK still sends, signs, retries and maps errors: only a successful body comes here.
 */

export interface ListedXmlObject {
  key: string;
  size: number;
  lastModified?: string;
  etag?: string;
  storageClass?: string;
  /** OSS: Normal, Multipart, Appendable or Symlink. */
  type?: string;
}

export interface ListXmlPage {
  objects: ListedXmlObject[];
  prefixes: string[];
  truncated: boolean;
  nextMarker?: string;
  nextContinuationToken?: string;
}

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([\da-fA-F]+));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text with its five named entities and character references resolved. */
export function xmlText(raw: string): string {
  if (raw.indexOf('&') < 0) return raw;
  return raw.replace(ENTITY, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
    name ? NAMED[name] : String.fromCodePoint(dec !== undefined ? Number(dec) : parseInt(hex!, 16)),
  );
}

/** The text of the first `<tag>` in xml[from, to), or undefined. */
function element(xml: string, tag: string, from: number, to: number): string | undefined {
  const open = `<${tag}>`;
  const start = xml.indexOf(open, from);
  if (start < 0 || start >= to) {
    // An empty element (`<NextMarker/>`) says nothing.
    return undefined;
  }
  const end = xml.indexOf(`</${tag}>`, start + open.length);
  if (end < 0 || end > to) throw new Error(`the listing answer is not valid XML (<${tag}> is not closed)`);
  return xml.slice(start + open.length, end);
}

export function parseListXml(xml: string): ListXmlPage {
  if (xml.indexOf('<ListBucketResult') < 0) throw new Error('the listing answer is not a ListBucketResult');
  const objects: ListedXmlObject[] = [];
  const prefixes: string[] = [];
  let at = 0;
  // Where the per-object elements end: top-level elements are read after it only.
  let bodyEnd = 0;
  for (;;) {
    const start = xml.indexOf('<Contents>', at);
    if (start < 0) break;
    const end = xml.indexOf('</Contents>', start);
    if (end < 0) throw new Error('the listing answer is not valid XML (<Contents> is not closed)');
    const key = element(xml, 'Key', start, end);
    if (key === undefined) throw new Error('the listing answer has an object without a Key');
    const size = element(xml, 'Size', start, end);
    const lastModified = element(xml, 'LastModified', start, end);
    const etag = element(xml, 'ETag', start, end);
    const storageClass = element(xml, 'StorageClass', start, end);
    const type = element(xml, 'Type', start, end);
    objects.push({
      key: xmlText(key),
      size: Number(size ?? 0),
      ...(lastModified !== undefined ? { lastModified } : {}),
      ...(etag !== undefined ? { etag: xmlText(etag) } : {}),
      ...(storageClass !== undefined ? { storageClass } : {}),
      ...(type !== undefined ? { type } : {}),
    });
    at = end + 11;
    bodyEnd = at;
  }
  for (at = 0; ;) {
    const start = xml.indexOf('<CommonPrefixes>', at);
    if (start < 0) break;
    const end = xml.indexOf('</CommonPrefixes>', start);
    if (end < 0) throw new Error('the listing answer is not valid XML (<CommonPrefixes> is not closed)');
    const prefix = element(xml, 'Prefix', start, end);
    if (prefix) prefixes.push(xmlText(prefix));
    at = end + 17;
    bodyEnd = Math.max(bodyEnd, at);
  }
  // Top-level elements may come before or after the objects: look outside them.
  const top = (tag: string) => element(xml, tag, bodyEnd, xml.length) ?? element(xml, tag, 0, firstChild(xml));
  const nextMarker = top('NextMarker');
  const token = top('NextContinuationToken');
  return {
    objects,
    prefixes,
    truncated: top('IsTruncated') === 'true',
    ...(nextMarker ? { nextMarker: xmlText(nextMarker) } : {}),
    ...(token ? { nextContinuationToken: xmlText(token) } : {}),
  };
}

/** Where the first `<Contents>` or `<CommonPrefixes>` starts (the end of the answer when none). */
function firstChild(xml: string): number {
  const c = xml.indexOf('<Contents>');
  const p = xml.indexOf('<CommonPrefixes>');
  const found = [c, p].filter((i) => i >= 0);
  return found.length ? Math.min(...found) : xml.length;
}
