import { promises as fsp } from 'node:fs';
import { OWNER_ID } from './context';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FaultRegistry } from './faults';
import { InventoryRegistry } from './inventory/registry';
import { runInventory } from './inventory/run';
import { seedBucket } from './seed/seed';
import { addAccount } from './auth';
import { CosDialect } from './dialects/cos';
import { OssDialect } from './dialects/oss';
import { putLegacyObject } from './handlers/objects';
import { EmulatorServer } from './server';
import { Store } from './store';
import type { Account, CosCredentials, DialectName, Emulator, EmulatorOptions, OssCredentials, RequestLog } from './types';

export type * from './types';
export { parseActionName } from './faults';

/**
 * A local server that speaks the Tencent COS and Alibaba OSS protocols on one port, well enough for the
 * real SDKs: signatures (COS q-sign sha1, OSS V1 and V4, STS tokens), buckets, objects, multipart
 * uploads, CRC-64 headers computed with the project's engine, legacy objects without CRC, and fault
 * injection for tests.
 */

export const DEFAULT_COS: CosCredentials = {
  secretId: 'AKIDLOCALEMULATOR000000000000000000',
  secretKey: 'local-emulator-cos-secret-key-0000',
  appId: '1250000000',
  region: 'ap-guangzhou',
};

export const DEFAULT_OSS: OssCredentials = {
  accessKeyId: 'LTAILOCALEMULATOR0000000',
  accessKeySecret: 'local-emulator-oss-secret-000000',
  region: 'oss-cn-hangzhou',
};

/** A whole number of ms from the environment, if set. */
function envMs(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of milliseconds, not "${v}"`);
  return n;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await fsp.mkdtemp(join(tmpdir(), 'bucket-integrity-emulator-')));
  await fsp.mkdir(dataDir, { recursive: true });
  const store = new Store(dataDir);
  await store.init();
  const cos: CosCredentials = { ...DEFAULT_COS, ...options.cos };
  const oss: OssCredentials = { ...DEFAULT_OSS, ...options.oss };
  const accounts = new Map<string, Account>();
  addAccount(accounts, 'cos', { id: cos.secretId, secret: cos.secretKey });
  addAccount(accounts, 'oss', { id: oss.accessKeyId, secret: oss.accessKeySecret });
  const faults = new FaultRegistry();
  const log: RequestLog[] = [];
  const dialects = { cos: new CosDialect(cos, options.minPartSize), oss: new OssDialect(oss, options.minPartSize) };
  const inventory = { registry: new InventoryRegistry(), appId: cos.appId, rowsPerFile: options.inventoryRowsPerFile };
  const restore = {
    delayMs: options.restoreDelayMs ?? envMs('EMULATOR_RESTORE_DELAY_MS') ?? 2_000,
    dayMs: options.restoreDayMs ?? envMs('EMULATOR_RESTORE_DAY_MS') ?? 86_400_000,
  };
  const app = new EmulatorServer({ store, faults, accounts, dialects, log, inventory, restore });

  // Lenient parsing, for what the services accept: a PUT with both Content-Length and chunked
  // Transfer-Encoding (ali-oss streams send both) is read as chunked, not refused with a bare 400.
  const server: Server = createServer({ insecureHTTPParser: true }, (req, res) => app.handle(req, res));
  server.keepAliveTimeout = 5_000;
  // Objects of several GB may take longer than Node's default limit of five minutes per request.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed = false;

  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    cos,
    oss,
    accountId: OWNER_ID,
    dataDir,
    async createBucket(dialect: DialectName, name: string) {
      // Idempotent, so seeding a data folder kept from an earlier run works again.
      if (store.getBucket(dialect, name)) return;
      dialects[dialect].checkBucketName(name);
      await store.createBucket(dialect, name, 'main');
    },
    async putLegacyObject(dialect: DialectName, bucket: string, key: string, bytes: Uint8Array | string, options = {}) {
      const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      await putLegacyObject(store, dialect, bucket, key, Readable.from([buf]), options.storageClass);
    },
    seedObjects: (dialect, bucket, request) => seedBucket(store, dialect, bucket, request),
    async runInventory(dialect, bucket, id, opts) {
      const r = await runInventory(store, inventory, dialect, bucket, id, opts);
      return { manifestKey: r.manifestKey, dataKeys: r.dataKeys, rows: r.rows };
    },
    setRestoreTiming(timing) {
      if (timing.delayMs !== undefined) restore.delayMs = timing.delayMs;
      if (timing.dayMs !== undefined) restore.dayMs = timing.dayMs;
    },
    addAccount(dialect: DialectName, account: Account) {
      addAccount(accounts, dialect, account);
    },
    faults: {
      add: (rule) => faults.add(rule),
      hook: (match, run) => faults.hook(match, run),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
    requests: () => log.slice(),
    clearRequests: () => {
      log.length = 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownDir) await fsp.rm(dataDir, { recursive: true, force: true });
    },
  };
}
