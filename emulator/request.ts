import type { IncomingMessage } from 'node:http';
import { EmulatorError } from './errors';

/** Reading a request: query, headers, ranges and small bodies. */

export interface QueryItem {
  key: string;
  value: string;
  hasEquals: boolean;
}

const MAX_XML_BODY = 4 * 1024 * 1024;

export function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new EmulatorError(400, 'InvalidURI', 'Could not parse the specified URI.');
  }
}

export function parseQuery(qs: string): QueryItem[] {
  const out: QueryItem[] = [];
  for (const part of qs.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    out.push(
      i < 0
        ? { key: decode(part), value: '', hasEquals: false }
        : { key: decode(part.slice(0, i)), value: decode(part.slice(i + 1)), hasEquals: true },
    );
  }
  return out;
}

/** An ETag as compared: without quotes (plain or XML-escaped), lower case. */
export function normalizeEtag(e: string): string {
  return e
    .trim()
    .replace(/^"|"$/g, '')
    .replace(/^&quot;|&quot;$/g, '')
    .toLowerCase();
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A `Range` (or `x-*-copy-source-range`) header as the first and last byte, or undefined for the whole
 * object. Like the services, a header that cannot be parsed is ignored.
 */
export function parseRange(text: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!text) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(text.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new EmulatorError(416, 'InvalidRange', 'The requested range is not satisfiable.');
  }
  return { start, end };
}

export async function drain(req: IncomingMessage): Promise<void> {
  if (req.complete || req.readableEnded || req.destroyed) return;
  await new Promise<void>((resolve) => {
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', resolve);
    req.resume();
  });
}

export async function readSmallBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_XML_BODY) throw new EmulatorError(400, 'EntityTooLarge', 'The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
