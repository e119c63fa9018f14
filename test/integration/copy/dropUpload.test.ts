import { crc64 as oracleCrc64 } from 'crc64-ecma182.js';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { uploadBatch } from '../../../src/transfer/batch';
import { droppedLocalPaths, planDroppedUploads, type DroppedUpload } from '../../../src/ui/copy/dropUpload';
import { makeCosBucket, makeOssBucket, startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';

/**
 * Workspace files dropped on a bucket or folder of the Buckets view: the `text/uri-list` the editor
 * hands over, the keys planned from it, and those items uploaded through the verified batch runner (what
 * "Upload Here (Verified)…" runs for them) into the emulator, checked against an independent CRC-64.
 */

let emu: Emulator;
let dir: string;
const files: Record<string, Buffer> = {
  'report one.txt': Buffer.from('a file with a space in its name\n'),
  'données.csv': Buffer.from('a;b\n1;2\n'),
  'logs/app.log': Buffer.from('first line\nsecond line\n'),
  'logs/old/app.1.log': Buffer.alloc(70_000, 7),
};

beforeAll(async () => {
  emu = await startTestEmulator();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bi-drop-'));
  for (const [rel, body] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), body);
  }
});

afterAll(async () => {
  await emu?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** A uri-list as the Explorer writes it: CRLF between URIs, file URIs percent-encoded. */
function uriListOf(...rels: string[]): string {
  return rels.map((r) => pathToFileURL(path.join(dir, r)).href).join('\r\n');
}

describe('the dropped uri-list', () => {
  it('gives the local files and folders, decoded, and leaves out comments, links and repeats', () => {
    const list = [
      '# dragged from the Explorer',
      uriListOf('report one.txt', 'données.csv', 'logs'),
      'https://example.com/page.html',
      pathToFileURL(path.join(dir, 'logs')).href,
      '',
    ].join('\r\n');
    expect(droppedLocalPaths(list)).toEqual([path.join(dir, 'report one.txt'), path.join(dir, 'données.csv'), path.join(dir, 'logs')]);
  });

  it('reads the vscode-remote URIs of a browser workbench as paths on this machine', () => {
    const remote = `vscode-remote://127.0.0.1:8080${encodeURI(path.join(dir, 'report one.txt').split(path.sep).join('/'))}`;
    expect(droppedLocalPaths(remote)).toEqual([path.join(dir, 'report one.txt')]);
  });

  it('plans each under the prefix by its own name, a folder as a prefix, and drops what no longer exists', async () => {
    const items = await planDroppedUploads(droppedLocalPaths(uriListOf('report one.txt', 'logs', 'gone.txt')), {
      profile: 'p',
      bucket: 'b',
      prefix: 'in/',
    });
    expect(items).toEqual([
      { localPath: path.join(dir, 'report one.txt'), isFolder: false, profile: 'p', bucket: 'b', key: 'in/report one.txt' },
      { localPath: path.join(dir, 'logs'), isFolder: true, profile: 'p', bucket: 'b', key: 'in/logs/' },
    ]);
  });
});

/** Uploads the planned items through the verified batch runner, as the upload command does; true per verified file. */
async function uploadPlanned(store: ObjectStore, items: DroppedUpload[]): Promise<boolean[]> {
  const report = await uploadBatch(items.map((i) => ({ store, bucket: i.bucket, localPath: i.localPath, key: i.key })));
  return report.outcomes.map((o) => o.ok && o.result.verified);
}

describe.each<ProviderKind>(['cos', 'oss'])('%s: files dropped on a folder', (provider) => {
  let store: ObjectStore;
  let bucket: string;

  beforeAll(async () => {
    store = await emulatorStore(emu, provider, { maxRetries: 0 });
    bucket = await (provider === 'oss' ? makeOssBucket : makeCosBucket)(emu, 'drop');
  });

  it('land at the planned keys with the CRC-64 of the local bytes, verified', async () => {
    const items = await planDroppedUploads(droppedLocalPaths(uriListOf('report one.txt', 'données.csv', 'logs')), {
      profile: 'p',
      bucket,
      prefix: 'incoming/',
    });
    expect(await uploadPlanned(store, items)).toEqual([true, true, true, true]);
    const expected: Record<string, string> = {
      'incoming/report one.txt': 'report one.txt',
      'incoming/données.csv': 'données.csv',
      'incoming/logs/app.log': 'logs/app.log',
      'incoming/logs/old/app.1.log': 'logs/old/app.1.log',
    };
    const listed = (await store.list(bucket, { prefix: 'incoming/' })).objects.map((o) => o.key).sort();
    expect(listed).toEqual(Object.keys(expected).sort());
    for (const [key, rel] of Object.entries(expected)) {
      const head = await store.head(bucket, key);
      expect(head.size).toBe(files[rel].length);
      expect(head.crc64).toBe(oracleCrc64(files[rel]));
    }
  });

  it('dropped on the bucket itself, land at its root', async () => {
    const items = await planDroppedUploads(droppedLocalPaths(uriListOf('données.csv')), { profile: 'p', bucket, prefix: '' });
    expect(await uploadPlanned(store, items)).toEqual([true]);
    expect((await store.head(bucket, 'données.csv')).crc64).toBe(oracleCrc64(files['données.csv']));
  });
});
