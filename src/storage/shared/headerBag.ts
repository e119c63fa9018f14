/** Raw response headers and the two readers everything else builds on (a leaf: imports nothing). */

export type HeaderBag = Record<string, string | string[] | number | undefined>;

export function header(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const v = headers[name] ?? headers[name.toLowerCase()];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v[0] : String(v);
}

export function parseDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
