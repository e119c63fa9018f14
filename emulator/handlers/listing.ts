import type { RequestContext } from '../context';
import { iso } from '../dialects/dialect';
import { EmulatorError } from '../errors';
import { compareUtf8 } from '../objects/keyOrder';
import type { ObjectIndex } from '../objects/objectIndex';
import type { ObjectMeta } from '../store';
import { element, toXml, XmlBytes } from '../xml';

/** ListObjects (v1, with `marker`) and ListObjectsV2 (with a continuation token), with prefixes and delimiters. */

const MAX_KEYS = 1000;

interface Page {
  contents: ObjectMeta[];
  prefixes: string[];
  /** The last key or common prefix of the page, where the next one starts. */
  last: string;
  truncated: boolean;
}

/**
 * One page of keys after `marker`, with keys below a delimiter rolled up into common prefixes. The index
 * lists in key order from the marker on (a binary search, not a sort of the bucket), and the keys of a
 * common prefix already on the page are skipped in one jump.
 */
function listPage(objects: ObjectIndex<ObjectMeta>, prefix: string, delimiter: string, marker: string, limit: number): Page {
  const page: Page = { contents: [], prefixes: [], last: '', truncated: false };
  let entries = objects.entriesFrom(prefix, marker);
  for (let step = entries.next(); !step.done; step = entries.next()) {
    const [k, meta] = step.value;
    let cp: string | undefined;
    if (delimiter) {
      const i = k.indexOf(delimiter, prefix.length);
      if (i >= 0) cp = k.slice(0, i + delimiter.length);
    }
    if (cp !== undefined && (compareUtf8(cp, marker) <= 0 || page.prefixes[page.prefixes.length - 1] === cp)) {
      // Past every key that starts with cp: U+10FFFF sorts after any character.
      entries = objects.entriesFrom(prefix, `${cp}\u{10FFFF}`);
      continue;
    }
    if (page.contents.length + page.prefixes.length >= limit) {
      page.truncated = true;
      break;
    }
    if (cp !== undefined) page.prefixes.push(cp);
    else page.contents.push(meta);
    page.last = cp ?? k;
  }
  return page;
}

/** Where a listing starts: `marker` (v1), or `start-after` / the continuation token (v2). */
function startMarker(ctx: RequestContext, v2: boolean): string {
  if (!v2) return ctx.q.get('marker') ?? '';
  const token = ctx.q.get('continuation-token');
  if (!token) return ctx.q.get('start-after') ?? '';
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!decoded.startsWith('k:')) throw new EmulatorError(400, 'InvalidArgument', 'The continuation token is not valid.');
  return decoded.slice(2);
}

export function listObjects(ctx: RequestContext): void {
  const b = ctx.bucket();
  const v2 = ctx.op === 'ListObjectsV2';
  const prefix = ctx.q.get('prefix') ?? '';
  const delimiter = ctx.q.get('delimiter') ?? '';
  const maxKeysText = ctx.q.get('max-keys');
  const maxKeys = maxKeysText === undefined || maxKeysText === '' ? MAX_KEYS : Number(maxKeysText);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw new EmulatorError(400, 'InvalidArgument', 'max-keys must be a non-negative integer.');
  const token = ctx.q.get('continuation-token');
  const marker = startMarker(ctx, v2);
  const urlEncode = ctx.q.get('encoding-type') === 'url';
  const enc = (s: string) => (urlEncode ? encodeURIComponent(s) : s);
  const page = listPage(b.objects, prefix, delimiter, marker, Math.min(maxKeys, MAX_KEYS));
  const owner = !v2 || ctx.q.get('fetch-owner') === 'true' ? element('Owner', ctx.owner()) : '';
  const classHeader = ctx.dialect.header('storage-class');
  // Objects written together share their time: each distinct one is formatted once per page.
  const dates = new Map<number, string>();
  const dateOf = (ms: number) => dates.get(ms) ?? dates.set(ms, element('LastModified', iso(ms))).get(ms)!;
  // Each <Contents> written field by field as toXml writes it, without an object tree per listed object: a
  // page has a thousand, and the emulator's CPU is shared with the client it serves.
  const items = new XmlBytes();
  for (const m of page.contents) {
    items.add(
      `<Contents>${element('Key', enc(m.key))}${dateOf(m.lastModified)}${element('ETag', m.etag)}${toXml(ctx.dialect.listedObjectFields(m))}${element('Size', m.size)}${element('StorageClass', m.userMeta[classHeader] ?? ctx.dialect.storageClass)}${owner}</Contents>`,
    );
  }
  const common = page.prefixes.map((p) => ({ Prefix: enc(p) }));
  if (v2) {
    ctx.sendXml('ListBucketResult', {
      Name: b.name,
      Prefix: enc(prefix),
      StartAfter: ctx.q.has('start-after') ? enc(ctx.q.get('start-after')!) : undefined,
      ContinuationToken: token || undefined,
      MaxKeys: maxKeys,
      Delimiter: enc(delimiter),
      EncodingType: urlEncode ? 'url' : undefined,
      IsTruncated: page.truncated,
      NextContinuationToken: page.truncated ? Buffer.from(`k:${page.last}`).toString('base64url') : undefined,
      KeyCount: page.contents.length + page.prefixes.length,
      Contents: items,
      CommonPrefixes: common,
    });
    return;
  }
  ctx.sendXml('ListBucketResult', {
    Name: b.name,
    EncodingType: urlEncode ? 'url' : undefined,
    Prefix: enc(prefix),
    Marker: enc(marker),
    MaxKeys: maxKeys,
    Delimiter: enc(delimiter),
    IsTruncated: page.truncated,
    NextMarker: page.truncated ? enc(page.last) : undefined,
    Contents: items,
    CommonPrefixes: common,
  });
}
