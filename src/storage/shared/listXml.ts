/**
 * A ListBucketResult page (COS GET Bucket, OSS ListObjectsV2) read straight from its XML. The SDKs turn
 * each 1,000-key page into a generic object tree first, which costs more than all the rest of a listing;
 * the answer's shape is fixed and flat, so the few elements a listing needs are picked out directly. OSS
 * pages still come through the SDK; COS pages are sent by `cos/directList.ts` (signed by the SDK); the
 * retries and error mapping are the store's either way: only a successful body comes here.
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
const QUOT = '&quot;';

/** XML text with its five named entities and character references resolved. */
export function xmlText(raw: string): string {
  const amp = raw.indexOf('&');
  if (amp < 0) return raw;
  // An ETag as the services write it, `&quot;…&quot;`, without the regular expression (a page has 1,000).
  if (amp === 0 && raw.startsWith(QUOT) && raw.endsWith(QUOT) && raw.length >= 2 * QUOT.length) {
    const inner = raw.slice(QUOT.length, raw.length - QUOT.length);
    if (inner.indexOf('&') < 0) return `"${inner}"`;
  }
  return raw.replace(ENTITY, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
    name ? NAMED[name] : String.fromCodePoint(dec !== undefined ? Number(dec) : parseInt(hex!, 16)),
  );
}

const NOT_CLOSED = (tag: string) => new Error(`the listing answer is not valid XML (<${tag}> is not closed)`);

/** Where a child element is: its name, its text xml[start, end) (empty when self-closing) and what follows it. */
interface Child {
  name: string;
  start: number;
  end: number;
  next: number;
}

/** The element names of a listing answer, kept as strings once: a page has some seven thousand elements. */
const NAMES = [
  'Contents',
  'Key',
  'LastModified',
  'ETag',
  'Size',
  'StorageClass',
  'Owner',
  'ID',
  'DisplayName',
  'Type',
  'CommonPrefixes',
  'Prefix',
  'Name',
  'Marker',
  'NextMarker',
  'MaxKeys',
  'Delimiter',
  'IsTruncated',
  'EncodingType',
  'KeyCount',
  'ContinuationToken',
  'NextContinuationToken',
  'StartAfter',
  'RestoreStatus',
  'TransitionTime',
];
/** Names by length, each with its closing tag. */
const NAMES_BY_LENGTH: Array<Array<{ name: string; close: string }>> = [];
for (const name of NAMES) (NAMES_BY_LENGTH[name.length] ??= []).push({ name, close: `</${name}>` });

/** The name xml[from, to) and its closing tag: the kept strings for a known name, new ones for another. */
function nameAt(xml: string, from: number, to: number): { name: string; close: string } {
  for (const known of NAMES_BY_LENGTH[to - from] ?? []) if (xml.startsWith(known.name, from)) return known;
  const name = xml.slice(from, to);
  return { name, close: `</${name}>` };
}

/**
 * The next child element of xml[at, to) into `c`; false when there is none. One pass from left to right:
 * each search starts where the last one ended and stays inside its parent, so a page costs its length.
 */
function nextChild(xml: string, at: number, to: number, c: Child): boolean {
  for (;;) {
    const lt = xml.indexOf('<', at);
    if (lt < 0 || lt >= to) return false;
    const first = xml.charCodeAt(lt + 1);
    if (first === 0x21 /* ! */) {
      // A comment between elements.
      const end = xml.indexOf('-->', lt);
      if (end < 0 || end >= to) throw new Error('the listing answer is not valid XML (a comment is not closed)');
      at = end + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt < 0 || gt >= to || first === 0x2f /* / */) throw new Error('the listing answer is not valid XML');
    const selfClosing = xml.charCodeAt(gt - 1) === 0x2f;
    let nameEnd = lt + 1;
    for (; nameEnd < gt; nameEnd++) {
      const ch = xml.charCodeAt(nameEnd);
      if (ch === 0x2f || ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) break;
    }
    const named = nameAt(xml, lt + 1, nameEnd);
    c.name = named.name;
    if (selfClosing) {
      c.start = c.end = c.next = gt + 1;
      return true;
    }
    const close = xml.indexOf(named.close, gt + 1);
    if (close < 0 || close + named.close.length > to) throw NOT_CLOSED(c.name);
    c.start = gt + 1;
    c.end = close;
    c.next = close + named.close.length;
    return true;
  }
}

/** The digits xml[from, to) as a number, read in place; anything else as `Number` reads it. */
function sizeAt(xml: string, from: number, to: number): number {
  // Up to 15 digits the sum is exact; longer or other text is left to Number.
  if (to === from || to - from > 15) return Number(xml.slice(from, to));
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = xml.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(xml.slice(from, to));
    n = n * 10 + d;
  }
  return n;
}

/** xml[from, to), or `previous` itself when it is the same text (the objects of a page often share a time). */
function textAt(xml: string, from: number, to: number, previous: string | undefined): string {
  return previous !== undefined && previous.length === to - from && xml.startsWith(previous, from) ? previous : xml.slice(from, to);
}

/** The fields of one `<Contents>` as they are read: one holder a page, emptied for each object. */
interface ObjectFields {
  key: string | undefined;
  size: number;
  lastModified: string | undefined;
  etag: string | undefined;
  storageClass: string | undefined;
  type: string | undefined;
}

function emptyFields(f: ObjectFields): void {
  f.key = f.lastModified = f.etag = f.storageClass = f.type = undefined;
  f.size = 0;
}

/** The child element in `c` (its name and text) into `f`, when it is a field a listing reads. */
function readField(xml: string, c: Child, f: ObjectFields, previous: ListedXmlObject | undefined): void {
  switch (c.name) {
    case 'Key':
      f.key = xmlText(xml.slice(c.start, c.end));
      break;
    case 'Size':
      f.size = sizeAt(xml, c.start, c.end);
      break;
    case 'LastModified':
      f.lastModified = textAt(xml, c.start, c.end, previous?.lastModified);
      break;
    case 'ETag':
      f.etag = xmlText(xml.slice(c.start, c.end));
      break;
    case 'StorageClass':
      f.storageClass = textAt(xml, c.start, c.end, previous?.storageClass);
      break;
    case 'Type':
      f.type = textAt(xml, c.start, c.end, previous?.type);
      break;
  }
}

/** The object read into `f` (which has its Key). */
function listedObject(f: ObjectFields & { key: string }): ListedXmlObject {
  // Fields set one by one: a spread of a conditional object per field cost more than the rest of the read.
  const o: ListedXmlObject = { key: f.key, size: f.size };
  if (f.lastModified !== undefined) o.lastModified = f.lastModified;
  if (f.etag !== undefined) o.etag = f.etag;
  if (f.storageClass !== undefined) o.storageClass = f.storageClass;
  if (f.type !== undefined) o.type = f.type;
  return o;
}

/** One `<Contents>` element, xml[from, to). */
function readObject(xml: string, from: number, to: number, c: Child, f: ObjectFields, previous?: ListedXmlObject): ListedXmlObject {
  emptyFields(f);
  for (let at = from; nextChild(xml, at, to, c); at = c.next) readField(xml, c, f, previous);
  if (f.key === undefined) throw new Error('the listing answer has an object without a Key');
  return listedObject(f as ObjectFields & { key: string });
}

/** A plain leaf element of `<Contents>` (`<Name>text</Name>`): its opening and closing tags. */
interface LeafTag {
  name: string;
  open: string;
  close: string;
}
const leaf = (name: string): LeafTag => ({ name, open: `<${name}>`, close: `</${name}>` });
/** The fields a listing reads, by the first letter of their names. */
const LEAVES_BY_FIRST: LeafTag[][] = [];
for (const name of ['Key', 'LastModified', 'ETag', 'Size', 'StorageClass', 'Type'])
  (LEAVES_BY_FIRST[name.charCodeAt(0)] ??= []).push(leaf(name));
const CONTENTS_OPEN = '<Contents>';
const CONTENTS_CLOSE = '</Contents>';
const OWNER_OPEN = '<Owner>';
const OWNER_CLOSE = '</Owner>';

/** Whether `tag` opens exactly at xml[at] as a plain leaf: its name, text and end go into `c`. */
function leafAt(xml: string, at: number, end: number, tag: LeafTag, c: Child): boolean {
  if (!xml.startsWith(tag.open, at)) return false;
  const start = at + tag.open.length;
  // A text has no '<': the first one closes the element, or this is not a plain leaf.
  const lt = xml.indexOf('<', start);
  if (lt < 0 || lt + tag.close.length > end || !xml.startsWith(tag.close, lt)) return false;
  c.name = tag.name;
  c.start = start;
  c.end = lt;
  c.next = lt + tag.close.length;
  return true;
}

/** A field a listing reads opening exactly at xml[at] as a plain leaf, into `c`; false when none does. */
function fieldAt(xml: string, at: number, end: number, c: Child): boolean {
  // Which field, by the first letter of its name: one comparison of tags instead of one per field.
  const candidates = LEAVES_BY_FIRST[xml.charCodeAt(at + 1)];
  if (candidates !== undefined) for (const tag of candidates) if (leafAt(xml, at, end, tag, c)) return true;
  return false;
}

/**
 * A `<Contents>` opening at xml[at] read in one pass, as the services write it: children one after another,
 * nothing between them, no attribute, only the fields a listing reads and `<Owner>`. Undefined for anything
 * else — the caller reads that element by the general rule, from its start, so the answer is the same.
 * (The general rule finds the element's end first and then reads it again: two passes over every object.)
 */
function plainContents(
  xml: string,
  at: number,
  end: number,
  c: Child,
  f: ObjectFields,
  previous?: ListedXmlObject,
): ListedXmlObject | undefined {
  emptyFields(f);
  let pos = at + CONTENTS_OPEN.length;
  for (;;) {
    if (xml.charCodeAt(pos) !== 0x3c /* < */) return undefined;
    if (xml.startsWith(CONTENTS_CLOSE, pos) && pos + CONTENTS_CLOSE.length <= end) {
      c.next = pos + CONTENTS_CLOSE.length;
      break;
    }
    if (fieldAt(xml, pos, end, c)) readField(xml, c, f, previous);
    else if (xml.startsWith(OWNER_OPEN, pos)) {
      const close = xml.indexOf(OWNER_CLOSE, pos + OWNER_OPEN.length);
      if (close < 0 || close + OWNER_CLOSE.length > end) return undefined;
      c.next = close + OWNER_CLOSE.length;
    } else return undefined;
    pos = c.next;
  }
  return f.key === undefined ? undefined : listedObject(f as ObjectFields & { key: string });
}

const ROOT = 'ListBucketResult';

/** Bytes of a body decoded at once: below V8's large-object size, whose every allocation maps fresh memory. */
const SEGMENT = 32 * 1024;
const CONTENTS_END = Buffer.from('</Contents>');

/**
 * A body as text in pieces of about SEGMENT bytes, each cut right after a `</Contents>` (which only closes a
 * top-level element, and is ASCII: no character is split). A 1,000-key page is some 270 KB; decoded in one
 * piece it costs more than reading it.
 */
function segments(body: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  while (body.length - start > SEGMENT) {
    const close = body.indexOf(CONTENTS_END, start + SEGMENT - CONTENTS_END.length);
    if (close < 0) break;
    out.push(body.toString('utf8', start, close + CONTENTS_END.length));
    start = close + CONTENTS_END.length;
  }
  out.push(body.toString('utf8', start));
  return out;
}

/** A listing answer (its body as text or bytes) read. */
export function parseListXml(body: string | Buffer): ListXmlPage {
  const parts = typeof body === 'string' ? [body] : segments(body);
  const head = parts[0];
  const tail = parts[parts.length - 1];
  const open = head.indexOf(`<${ROOT}`);
  if (open < 0) throw new Error('the listing answer is not a ListBucketResult');
  const from = head.indexOf('>', open) + 1;
  // A body cut short must not read as a shorter listing (its missing keys would look deleted).
  const to = tail.lastIndexOf(`</${ROOT}>`);
  if (from <= 0 || to < 0 || (parts.length === 1 && to < from)) throw NOT_CLOSED(ROOT);
  const objects: ListedXmlObject[] = [];
  const prefixes: string[] = [];
  const top: Record<string, string> = {};
  const c: Child = { name: '', start: 0, end: 0, next: 0 };
  const inner: Child = { name: '', start: 0, end: 0, next: 0 };
  const fields: ObjectFields = {
    key: undefined,
    size: 0,
    lastModified: undefined,
    etag: undefined,
    storageClass: undefined,
    type: undefined,
  };
  for (let p = 0; p < parts.length; p++) {
    const xml = parts[p];
    const end = p === parts.length - 1 ? to : xml.length;
    for (let at = p === 0 ? from : 0; ; at = c.next) {
      if (xml.startsWith(CONTENTS_OPEN, at)) {
        const o = plainContents(xml, at, end, c, fields, objects[objects.length - 1]);
        if (o !== undefined) {
          objects.push(o);
          continue;
        }
      }
      if (!nextChild(xml, at, end, c)) break;
      if (c.name === 'Contents') objects.push(readObject(xml, c.start, c.end, inner, fields, objects[objects.length - 1]));
      else if (c.name === 'CommonPrefixes') {
        for (let i = c.start; nextChild(xml, i, c.end, inner); i = inner.next) {
          if (inner.name === 'Prefix' && inner.end > inner.start) prefixes.push(xmlText(xml.slice(inner.start, inner.end)));
        }
      } else if (!(c.name in top)) top[c.name] = xml.slice(c.start, c.end);
    }
  }
  // An empty element (`<NextMarker/>`) says nothing.
  const nextMarker = top.NextMarker;
  const token = top.NextContinuationToken;
  return {
    objects,
    prefixes,
    truncated: top.IsTruncated === 'true',
    ...(nextMarker ? { nextMarker: xmlText(nextMarker) } : {}),
    ...(token ? { nextContinuationToken: xmlText(token) } : {}),
  };
}
