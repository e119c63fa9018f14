import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { cosClient, ossClient } from '../test/support/emulator';
import { BIG_FOLDER_COUNT, COS_PROFILE, OSS_PROFILE, type DemoManifest, type DemoObject } from './model';

/**
 * The demo data set on the local emulator, through the real SDKs and the emulator's public API: a COS and
 * an OSS profile, buckets with folders and a folder larger than one listing page, objects equal to the
 * demo workspace files, one that differs (mismatch) and one legacy object stored without a CRC-64.
 *
 * Used by `npm start`, by the end-to-end tests, and by `node dist/emulator.js --demo` (as `seed(emu)`).
 */

/** demo/workspace, found from the bundle (dist/ or out/) or from this source file. */
export function defaultWorkspace(): string {
  return path.resolve(__dirname, '..', 'demo', 'workspace');
}

function cosBucket(emu: Emulator, base: string): string {
  return `${base}-${emu.cos.appId}`;
}

async function cosPut(emu: Emulator, bucket: string, key: string, body: Buffer | string): Promise<void> {
  const cos = cosClient(emu);
  await new Promise<void>((resolve, reject) =>
    cos.putObject({ Bucket: bucket, Region: emu.cos.region, Key: key, Body: typeof body === 'string' ? Buffer.from(body) : body }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

async function ossPut(emu: Emulator, bucket: string, key: string, body: Buffer | string): Promise<void> {
  await ossClient(emu, bucket).put(key, typeof body === 'string' ? Buffer.from(body) : body);
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
}

/** The demo manifest for an emulator, without touching it (what `seed` creates). */
export function demoManifest(emu: Emulator): DemoManifest {
  const site = cosBucket(emu, 'demo-site');
  const archive = cosBucket(emu, 'demo-archive');
  const data = 'demo-data';
  const objects: DemoObject[] = [
    { profile: COS_PROFILE, bucket: site, key: 'site/index.html', localPath: 'site/index.html', expected: 'match' },
    { profile: COS_PROFILE, bucket: site, key: 'site/styles.css', localPath: 'site/styles.css', expected: 'match' },
    { profile: COS_PROFILE, bucket: site, key: 'site/about.html', localPath: 'site/about.html', expected: 'differ' },
    { profile: COS_PROFILE, bucket: site, key: 'site/legacy/banner.txt', localPath: 'site/legacy/banner.txt', expected: 'no-crc' },
    { profile: OSS_PROFILE, bucket: data, key: 'data/measurements.csv', localPath: 'data/measurements.csv', expected: 'match' },
    { profile: OSS_PROFILE, bucket: data, key: 'data/stations.json', localPath: 'data/stations.json', expected: 'match' },
  ];
  const userSettings = {
    'bucketIntegrity.profiles': [
      { name: COS_PROFILE, provider: 'cos', region: emu.cos.region, endpoint: emu.endpoint },
      { name: OSS_PROFILE, provider: 'oss', region: emu.oss.region, endpoint: emu.endpoint },
    ],
  };
  const settings = {
    'bucketIntegrity.mappings': [
      { localFolder: 'site', profile: COS_PROFILE, bucket: site, prefix: 'site/' },
      { localFolder: 'notes', profile: COS_PROFILE, bucket: site, prefix: 'notes/' },
      { localFolder: 'data', profile: OSS_PROFILE, bucket: data, prefix: 'data/' },
    ],
    'files.exclude': { '.vscode': true },
  };
  return {
    port: emu.port,
    endpoint: emu.endpoint,
    profiles: [
      { name: COS_PROFILE, provider: 'cos', region: emu.cos.region, endpoint: emu.endpoint, buckets: [archive, site] },
      { name: OSS_PROFILE, provider: 'oss', region: emu.oss.region, endpoint: emu.endpoint, buckets: [data] },
    ],
    mappings: settings['bucketIntegrity.mappings'],
    objects,
    toUpload: { profile: COS_PROFILE, bucket: site, key: 'notes/upload-me.txt', localPath: 'notes/upload-me.txt', expected: 'only-local' },
    bigFolder: { profile: COS_PROFILE, bucket: site, prefix: 'logs/2026/03/', count: BIG_FOLDER_COUNT },
    // The extension's environment fallback for keys (COS_SECRET_ID, …): only the emulator's demo keys.
    env: {
      COS_SECRET_ID: emu.cos.secretId,
      COS_SECRET_KEY: emu.cos.secretKey,
      OSS_ACCESS_KEY_ID: emu.oss.accessKeyId,
      OSS_ACCESS_KEY_SECRET: emu.oss.accessKeySecret,
    },
    settings,
    userSettings,
  };
}

/** Creates the demo buckets and objects on a running emulator and returns what was created. */
export async function seed(emu: Emulator, options: { workspace?: string } = {}): Promise<DemoManifest> {
  const workspace = options.workspace ?? defaultWorkspace();
  const manifest = demoManifest(emu);
  const read = (rel: string) => fs.readFileSync(path.join(workspace, rel));
  const [archive, site] = manifest.profiles[0].buckets;
  const data = manifest.profiles[1].buckets[0];
  await emu.createBucket('cos', site);
  await emu.createBucket('cos', archive);
  await emu.createBucket('oss', data);

  for (const o of manifest.objects) {
    const local = read(o.localPath!);
    const dialect = o.profile === COS_PROFILE ? 'cos' : 'oss';
    if (o.expected === 'no-crc') {
      await emu.putLegacyObject(dialect, o.bucket, o.key, local);
    } else if (o.expected === 'differ') {
      // The copy in the bucket was edited after upload: same name, different bytes, its own valid CRC.
      const changed = Buffer.from(local.toString('utf8').replace('since 2019', 'since 2018'));
      if (changed.equals(local)) throw new Error(`demo: ${o.localPath} no longer contains the text the mismatch edits`);
      await (dialect === 'cos' ? cosPut : ossPut)(emu, o.bucket, o.key, changed);
    } else {
      await (dialect === 'cos' ? cosPut : ossPut)(emu, o.bucket, o.key, local);
    }
  }

  // Folders to browse, and a folder larger than one listing page.
  const big = manifest.bigFolder;
  const names = Array.from({ length: big.count }, (_, i) => `${big.prefix}access-${String(i + 1).padStart(4, '0')}.log`);
  await eachLimit(names, 16, (key, i) =>
    cosPut(emu, big.bucket, key, `2026-03-${String((i % 28) + 1).padStart(2, '0')} GET /index.html 200\n`),
  );
  await cosPut(emu, site, 'logs/README.txt', 'Web server access logs, one file per hour.\n');
  await cosPut(emu, archive, 'site-2025/index.html', read('site/index.html'));
  await emu.putLegacyObject('cos', archive, 'site-2025/banner.txt', read('site/legacy/banner.txt'));
  await ossPut(emu, data, 'archive/2025/measurements-2025.csv', 'timestamp,water_temp_c,salinity_psu,tide_m\n');
  await emu.putLegacyObject('oss', data, 'archive/2024/measurements-2024.csv', 'timestamp,water_temp_c\n');
  return manifest;
}

export default seed;

/**
 * Starts an emulator seeded with the demo data. `close()` stops it (and removes its data unless a
 * `dataDir` was given).
 */
export async function startDemo(options: { port?: number; dataDir?: string; workspace?: string } = {}): Promise<{
  manifest: DemoManifest;
  emulatorInfo: { endpoint: string; port: number; cos: Emulator['cos']; oss: Emulator['oss'] };
  close(): Promise<void>;
}> {
  if (options.dataDir) fs.rmSync(options.dataDir, { recursive: true, force: true });
  const emu = await startEmulator({ port: options.port, dataDir: options.dataDir });
  try {
    const manifest = await seed(emu, { workspace: options.workspace });
    return {
      manifest,
      emulatorInfo: { endpoint: emu.endpoint, port: emu.port, cos: emu.cos, oss: emu.oss },
      close: () => emu.close(),
    };
  } catch (err) {
    await emu.close();
    throw err;
  }
}
