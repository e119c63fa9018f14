import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { mkdirSync, mkdtempSync } from 'node:fs';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { createObjectStore } from '../src/storage';
import type { ConnectionOptions, ObjectStore, ProviderKind } from '../src/storage/types';
import { copyObjectVerified } from '../src/transfer/copy/verifiedCopy';
import { type BenchSection, MiB } from './section';
import { startEmulatorProcess, stopEmulatorProcess, type EmulatorProcess } from './emulatorProcess';

/**
 * Copy row of the benchmark: a 1 GiB object copied server-side, part by part (Upload Part Copy /
 * UploadPartCopy), and verified by combining the part CRC-64 values — with no byte of the object through
 * the client. The emulator runs in its own process; its request log (control API) says which calls were
 * made, and the sockets this process opened during the copy say how many bytes went over the wire.
 */

const SIZE = 1024 * MiB;
const SOURCE_PART = 64 * MiB;
const BUCKETS: Record<ProviderKind, string> = { cos: 'bench-copy-1250000000', oss: 'bench-copy-oss' };
/** Calls that carry an object's bytes through the client; a server-side copy makes none of them. */
const BODY_CALLS = ['GetObject', 'PutObject', 'UploadPart', 'AppendObject'];

export interface CopyBenchRun {
  provider: ProviderKind;
  seconds: number;
  MBps: number;
  parts: number;
  verified: boolean;
  /** Requests of the copy, by the emulator's operation name. */
  requests: Record<string, number>;
  /** Bytes this process sent and received during the copy (request lines, headers and XML only). */
  client_bytes: number;
}

/** The bytes read and written by the client sockets this process opens while `run` runs. */
async function countingClientBytes<T>(run: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const sockets: Socket[] = [];
  const onSocket = (message: unknown): void => void sockets.push((message as { socket: Socket }).socket);
  diagnostics.subscribe('net.client.socket', onSocket);
  try {
    const result = await run();
    return { result, bytes: sockets.reduce((sum, s) => sum + s.bytesRead + s.bytesWritten, 0) };
  } finally {
    diagnostics.unsubscribe('net.client.socket', onSocket);
  }
}

async function control(emulator: EmulatorProcess, method: string, path: string): Promise<unknown> {
  const res = await fetch(`${emulator.endpoint}/_emulator/${path}`, { method });
  if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

function connectionFor(emulator: EmulatorProcess, provider: ProviderKind): ConnectionOptions {
  const keys =
    provider === 'cos'
      ? { region: emulator.cos.region, credentials: { accessKeyId: emulator.cos.secretId, secretAccessKey: emulator.cos.secretKey } }
      : {
          region: emulator.oss.region,
          credentials: { accessKeyId: emulator.oss.accessKeyId, secretAccessKey: emulator.oss.accessKeySecret },
        };
  return { provider, endpoint: emulator.endpoint, ...keys };
}

/** The source object, multipart from random 64 MiB parts (none alike), uploaded before the measured copy. */
async function uploadSource(store: ObjectStore, bucket: string, key: string, size: number): Promise<void> {
  const { uploadId } = await store.createMultipartUpload(bucket, key);
  const parts: Array<{ partNumber: number; etag: string }> = [];
  for (let at = 0, n = 1; at < size; at += SOURCE_PART, n++) {
    const part = await store.uploadPart(bucket, key, uploadId, n, randomBytes(Math.min(SOURCE_PART, size - at)));
    parts.push({ partNumber: n, etag: part.etag });
  }
  await store.completeMultipartUpload(bucket, key, uploadId, parts);
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** One 1 GiB multipart copy per provider, against an emulator in its own process. */
export async function benchCopy(options: {
  tmpDir: string;
  emulatorScript: string;
  sizeBytes?: number;
  log?: (line: string) => void;
}): Promise<CopyBenchRun[]> {
  const size = options.sizeBytes ?? SIZE;
  const log = options.log ?? (() => undefined);
  mkdirSync(options.tmpDir, { recursive: true });
  const dir = mkdtempSync(join(options.tmpDir, 'copy-'));
  const seed = `module.exports = async (emu) => {
  for (const [dialect, bucket] of ${JSON.stringify(Object.entries(BUCKETS))}) await emu.createBucket(dialect, bucket);
};\n`;
  const emulator = await startEmulatorProcess(options.emulatorScript, join(dir, 'emulator-data'), join(dir, 'seed.js'), seed);
  const runs: CopyBenchRun[] = [];
  try {
    for (const provider of ['cos', 'oss'] as const) {
      const bucket = BUCKETS[provider];
      const connection = connectionFor(emulator, provider);
      const sourceKey = 'source.bin';
      log(`copy ${provider}: uploading the ${round(size / MiB)} MiB source (not measured)`);
      await uploadSource(await createObjectStore(connection), bucket, sourceKey, size);
      await control(emulator, 'DELETE', 'requests');
      const started = process.hrtime.bigint();
      // A store of its own, so every socket of the copy is opened (and counted) inside the window.
      const { result: outcome, bytes } = await countingClientBytes(async () => {
        const store = await createObjectStore(connection);
        return copyObjectVerified(store, { bucket, key: sourceKey }, { bucket, key: 'copy.bin' });
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const served = (await control(emulator, 'GET', 'requests')) as Array<{ op: string }>;
      const requests: Record<string, number> = {};
      for (const r of served) requests[r.op] = (requests[r.op] ?? 0) + 1;
      const through = BODY_CALLS.filter((op) => requests[op]);
      if (through.length)
        throw new Error(
          `the ${provider} copy sent the object through the client: ${through.map((op) => `${requests[op]} × ${op}`).join(', ')}`,
        );
      if (!outcome.verified) throw new Error(`the ${provider} copy was not verified: ${outcome.reason}`);
      if (outcome.method !== 'multipart') throw new Error(`the ${provider} copy was not a multipart copy`);
      const run: CopyBenchRun = {
        provider,
        seconds: round(seconds, 2),
        MBps: round(size / 1e6 / seconds),
        parts: outcome.parts,
        verified: outcome.verified,
        requests,
        client_bytes: bytes,
      };
      log(
        `copy ${provider}: ${run.seconds} s, ${run.parts} parts, ${bytes} bytes through the client, requests ${JSON.stringify(requests)}`,
      );
      runs.push(run);
    }
  } finally {
    await stopEmulatorProcess(emulator);
  }
  return runs;
}

const describeRequests = (r: Record<string, number>): string =>
  Object.entries(r)
    .map(([op, n]) => `${n} ${op}`)
    .join(', ');

/** `npm run bench -- --only copy`: `{"copy": {"cos": {...}, "oss": {...}}}`. */
export const copySection: BenchSection = {
  name: 'copy',
  summary: '1 GiB server-side multipart copy, verified, no object bytes through the client (COS, OSS)',
  async run(ctx) {
    const runs = await benchCopy({ tmpDir: ctx.tmpDir, emulatorScript: join(dirname(ctx.benchScript), 'emulator.js'), log: ctx.log });
    return {
      json: { copy: Object.fromEntries(runs.map((r) => [r.provider, r])) },
      rows: runs.flatMap((r) => [
        { name: `copy ${r.provider} 1 GiB verified`, value: r.seconds, unit: 's', note: `${r.MBps} MB/s, ${r.parts} part copies` },
        {
          name: `copy ${r.provider} client bytes`,
          value: r.client_bytes,
          unit: 'B',
          note: `headers and XML only; ${BODY_CALLS.join('/')}: 0`,
        },
        {
          name: `copy ${r.provider} requests`,
          value: Object.values(r.requests).reduce((a, b) => a + b, 0),
          unit: 'req',
          note: describeRequests(r.requests),
        },
      ]),
    };
  },
};
