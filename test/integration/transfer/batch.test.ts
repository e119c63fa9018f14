import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { compareFolder } from '../../../src/integrity/compare';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { downloadBatch, uploadBatch, type BatchProgress } from '../../../src/transfer/batch';
import { walkFiles } from '../../../src/util/walk';
import { data, PART, readAll, useTransferEnv } from './fixture';

const env = useTransferEnv();

let counter = 0;

describe.each<ProviderKind>(['cos', 'oss'])('transfer batches (%s)', (provider) => {
  let store: ObjectStore;
  let bucket: string;
  beforeAll(async () => {
    store = await env.store(provider);
    bucket = env.bucket[provider];
  });

  it('upload, compare and hashing walk a folder with links the same way; the folder link is named', async () => {
    const folder = join(env.dir, `${provider}-links-${++counter}`);
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'a.txt'), 'alpha');
    writeFileSync(join(folder, 'sub', 'b.txt'), 'beta');
    symlinkSync(join(folder, 'a.txt'), join(folder, 'file-link'));
    symlinkSync(join(folder, 'sub'), join(folder, 'folder-link'));
    const prefix = `links${counter}/`;

    const report = await uploadBatch([{ store, bucket, localPath: folder, key: prefix }]);
    expect(report).toMatchObject({ verified: 3, failed: 0, cancelled: false, filesTotal: 3 });
    expect(report.outcomes.map((o) => o.ok && o.result.key)).toEqual([`${prefix}a.txt`, `${prefix}file-link`, `${prefix}sub/b.txt`]);
    expect(report.notes).toHaveLength(1);
    expect(report.notes[0]).toMatch(/folder-link.*link to a folder/);
    expect((await readAll(store, bucket, `${prefix}file-link`)).toString()).toBe('alpha');

    const compared = await compareFolder({ store }, { localDir: folder, bucket, prefix });
    expect(compared.map((r) => [r.relativePath, r.status])).toEqual([
      ['a.txt', 'match'],
      ['file-link', 'match'],
      ['sub/b.txt', 'match'],
    ]);
    const hashed = (await walkFiles(folder)).map((p) =>
      p
        .slice(folder.length + 1)
        .split(/[\\/]/)
        .join('/'),
    );
    expect(hashed).toEqual(['a.txt', 'file-link', 'sub/b.txt']);
  });

  it('sums bytes and files over every file of every item, and counts each file once', async () => {
    const folder = join(env.dir, `${provider}-sum-${++counter}`);
    mkdirSync(folder, { recursive: true });
    const bytes = [data(3 * PART + 5), data(1000), data(2 * PART)];
    writeFileSync(join(folder, 'one.bin'), bytes[0]);
    writeFileSync(join(folder, 'two.bin'), bytes[1]);
    const single = env.file(`${provider}-single-${counter}.bin`, bytes[2]);
    const seen: BatchProgress[] = [];
    const report = await uploadBatch(
      [
        { store, bucket, localPath: folder, key: `sum${counter}/` },
        { store, bucket, localPath: single, key: `sum${counter}-single.bin` },
      ],
      { multipartThreshold: PART, partSize: PART, minPartSize: PART, onProgress: (p) => seen.push(p) },
    );
    const total = 3 * PART + 5 + 1000 + 2 * PART;
    expect(report).toMatchObject({ verified: 3, filesTotal: 3, bytesTotal: total, bytes: total });
    expect(report.outcomes.map((o) => o.item)).toEqual([0, 0, 1]);
    expect(seen.every((p) => p.bytesTotal === total && p.filesTotal === 3 && p.bytesDone <= total)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ bytesDone: total, filesDone: 3 });

    const target = join(env.dir, `${provider}-sum-down-${counter}`);
    const down: BatchProgress[] = [];
    const back = await downloadBatch(
      [
        { store, bucket, key: `sum${counter}/`, isPrefix: true, localPath: target },
        { store, bucket, key: `sum${counter}-single.bin`, intoFolder: true, localPath: target },
      ],
      { onProgress: (p) => down.push(p) },
    );
    expect(back).toMatchObject({ verified: 3, failed: 0, filesTotal: 3, bytes: total });
    expect(down.at(-1)).toMatchObject({ bytesDone: total, bytesTotal: total, filesDone: 3, filesTotal: 3 });
    expect(back.outcomes.map((o) => o.ok && o.result.crc64)).toEqual(bytes.map((b) => formatCrc64(crc64(b))));
  });

  it('cancelled: returns what finished, marked cancelled, without throwing', async () => {
    const folder = join(env.dir, `${provider}-cancel-${++counter}`);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 6; i++) writeFileSync(join(folder, `f${i}.txt`), `file ${i}`);
    env.emu.faults.add({ op: 'PutObject', times: Infinity, action: { kind: 'delay', ms: 100 } });
    const controller = new AbortController();
    const report = await uploadBatch([{ store, bucket, localPath: folder, key: `cancel${counter}/` }], {
      filesAtOnce: 1,
      signal: controller.signal,
      onFile: () => controller.abort(),
    });
    expect(report.cancelled).toBe(true);
    expect(report.filesTotal).toBe(6);
    expect(report.outcomes).toHaveLength(1);
    expect(report.outcomes[0].ok).toBe(true);
  });
});
