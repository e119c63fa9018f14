import { createReadStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';

/**
 * The secrets sweep: after a suite ran, no key id, secret or session token it used may appear in what it
 * left behind — output, logs, checkpoints, the CRC record, reports, error messages, the emulator's request
 * log (beyond an Authorization header, the one place a key id belongs). Reusable: the CLI integration
 * suites call it from `afterAll`, the end-to-end runner after each phase. Leaks are reported by a label
 * and a place, never by the secret's value.
 *
 * Searched forms: the value as is, URL-encoded (query strings, presigned URLs) and base64 (headers,
 * serialized blobs). Values shorter than `MIN_SECRET_LENGTH` are not searched (they would be found
 * everywhere); suites give their test keys distinctive values.
 */

export const MIN_SECRET_LENGTH = 8;

export interface Secret {
  /** What the value is, for the report: e.g. "COS_SECRET_KEY", "session token of the UI profile". */
  label: string;
  value: string;
}

export interface SweepInput {
  secrets: readonly Secret[];
  /** Folders searched file by file, recursively (every file, any size, read as bytes). */
  folders?: readonly string[];
  /** Texts searched as they are: captured output, error messages. */
  texts?: readonly { name: string; text: string }[];
  /** Files left out by path (e.g. the editor's own secret storage database). */
  skip?: (path: string) => boolean;
}

export interface Leak {
  /** The secret's label and the form found ("as is", "URL-encoded", "base64"). */
  secret: string;
  /** The file or text it was found in. */
  where: string;
}

/** The key variables of both clouds (and the `BUCKET_INTEGRITY_DEST_` copies the CLI's cp reads), and the SSE-C customer key. */
const KEY_VARIABLE =
  /^(?:(BUCKET_INTEGRITY_DEST_)?(COS_SECRET_ID|COS_SECRET_KEY|COS_SESSION_TOKEN|OSS_ACCESS_KEY_ID|OSS_ACCESS_KEY_SECRET|OSS_SESSION_TOKEN)|BUCKET_INTEGRITY_SSE_C_KEY)$/;

/** The keys an environment gives a process, labelled by variable name. */
export function secretsOfEnv(env: Record<string, string | undefined>): Secret[] {
  return Object.entries(env)
    .filter(([name, value]) => KEY_VARIABLE.test(name) && typeof value === 'string')
    .map(([label, value]) => ({ label, value: value as string }));
}

/** The emulator's request log as text, without any Authorization header (a key id belongs there). */
export function requestLogText(entries: readonly object[]): string {
  return JSON.stringify(
    entries.map((entry) => {
      const e = { ...(entry as Record<string, unknown>) };
      delete e.authorization;
      const headers = e.headers as Record<string, unknown> | undefined;
      if (headers && typeof headers === 'object') {
        e.headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
      }
      return e;
    }),
  );
}

interface Needle {
  label: string;
  bytes: Buffer;
}

function needlesOf(secrets: readonly Secret[]): Needle[] {
  const seen = new Set<string>();
  const out: Needle[] = [];
  for (const s of secrets) {
    if (s.value.length < MIN_SECRET_LENGTH) continue;
    const forms: [string, string][] = [
      ['as is', s.value],
      ['URL-encoded', encodeURIComponent(s.value)],
      ['base64', Buffer.from(s.value).toString('base64').replace(/=+$/, '')],
    ];
    for (const [form, text] of forms) {
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ label: `${s.label} (${form})`, bytes: Buffer.from(text) });
    }
  }
  return out;
}

async function filesUnder(dir: string, skip: (p: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return out; // a folder the suite never wrote
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (skip(p)) continue;
    if (e.isDirectory()) out.push(...(await filesUnder(p, skip)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The needles found in one file, read in chunks that overlap by the longest needle. */
async function searchFile(file: string, needles: Needle[]): Promise<Set<Needle>> {
  const found = new Set<Needle>();
  const overlap = Math.max(0, ...needles.map((n) => n.bytes.length)) - 1;
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const window = Buffer.concat([tail, chunk as Buffer]);
    for (const n of needles) if (!found.has(n) && window.includes(n.bytes)) found.add(n);
    tail = window.subarray(Math.max(0, window.length - overlap));
  }
  return found;
}

/** Every place a secret was found; empty when the sweep is clean. */
export async function sweepForSecrets(input: SweepInput): Promise<Leak[]> {
  const needles = needlesOf(input.secrets);
  const leaks: Leak[] = [];
  if (needles.length === 0) return leaks;
  for (const t of input.texts ?? []) {
    const bytes = Buffer.from(t.text);
    for (const n of needles) if (bytes.includes(n.bytes)) leaks.push({ secret: n.label, where: t.name });
  }
  const skip = input.skip ?? (() => false);
  for (const folder of input.folders ?? []) {
    for (const file of await filesUnder(folder, skip)) {
      for (const n of await searchFile(file, needles)) leaks.push({ secret: n.label, where: file });
    }
  }
  return leaks;
}

/** Throws, naming each leak by label and place (never by value), when any secret was found. */
export async function assertNoSecrets(input: SweepInput): Promise<void> {
  const leaks = await sweepForSecrets(input);
  if (leaks.length > 0) {
    throw new Error(`secrets sweep: ${leaks.length} leak(s)\n${leaks.map((l) => `  ${l.secret} in ${l.where}`).join('\n')}`);
  }
}
