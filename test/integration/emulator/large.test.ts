import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type OSS from 'ali-oss';
import { Crc64Hasher, crc64Combine, formatCrc64 } from '../../../src/crc';
import { cosCall, cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

const MiB = 1024 * 1024;
const SIZE = 100 * MiB;
const PART = 16 * MiB;
let emu: Emulator;
let dir: string;
let file: string;
let fileCrc: bigint;
const partRanges: Array<{ start: number; end: number }> = [];
const partCrcs: bigint[] = [];

async function crcOfRange(start: number, end: number): Promise<bigint> {
  const h = new Crc64Hasher();
  for await (const chunk of createReadStream(file, { start, end: end - 1, highWaterMark: 4 * MiB })) h.update(chunk as Buffer);
  return h.digest();
}

beforeAll(async () => {
  emu = await startTestEmulator();
  dir = mkdtempSync(join(tmpdir(), 'emu-large-'));
  file = join(dir, 'large.bin');
  const fd = openSync(file, 'w');
  const block = randomBytes(4 * MiB);
  for (let off = 0; off < SIZE; off += block.length) {
    block[0] = off / block.length; // every block differs from the others
    writeSync(fd, block);
  }
  closeSync(fd);
  fileCrc = await crcOfRange(0, SIZE);
  for (let start = 0; start < SIZE; start += PART) {
    const end = Math.min(SIZE, start + PART);
    partRanges.push({ start, end });
    partCrcs.push(await crcOfRange(start, end));
  }
});

afterAll(async () => {
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function combined(): bigint {
  return partCrcs.reduce((acc, c, i) => (i === 0 ? c : crc64Combine(acc, c, partRanges[i].end - partRanges[i].start)));
}

describe('a 100 MB multipart upload', () => {
  it('COS: part CRCs match the engine, Complete CRC = combine of parts = CRC of the file', async () => {
    const cos = cosClient(emu);
    const Bucket = await makeCosBucket(emu, 'large');
    const base = { Bucket, Region: emu.cos.region, Key: 'large.bin' };
    const init = (await cosCall(cos.multipartInit.bind(cos) as never, base as never)) as { UploadId: string };
    const parts: Array<{ PartNumber: number; ETag: string }> = [];
    for (let i = 0; i < partRanges.length; i++) {
      const { start, end } = partRanges[i];
      const r = (await cosCall(
        cos.multipartUpload.bind(cos) as never,
        {
          ...base,
          UploadId: init.UploadId,
          PartNumber: i + 1,
          Body: createReadStream(file, { start, end: end - 1 }),
          ContentLength: end - start,
        } as never,
      )) as { ETag: string; headers: Record<string, string> };
      expect(r.headers['x-cos-hash-crc64ecma']).toBe(formatCrc64(partCrcs[i]));
      parts.push({ PartNumber: i + 1, ETag: r.ETag });
    }
    const done = (await cosCall(cos.multipartComplete.bind(cos) as never, { ...base, UploadId: init.UploadId, Parts: parts } as never)) as {
      headers: Record<string, string>;
    };
    expect(done.headers['x-cos-hash-crc64ecma']).toBe(formatCrc64(combined()));
    expect(done.headers['x-cos-hash-crc64ecma']).toBe(formatCrc64(fileCrc));
    const head = (await cosCall(cos.headObject.bind(cos) as never, base as never)) as { headers: Record<string, string> };
    expect(head.headers['content-length']).toBe(String(SIZE));
    expect(head.headers['x-cos-hash-crc64ecma']).toBe(formatCrc64(fileCrc));
  });

  it('OSS: part CRCs match the engine, Complete CRC = combine of parts = CRC of the file; a streamed GET hashes back to it', async () => {
    const bucket = await makeOssBucket(emu, 'large');
    const oss = ossClient(emu, bucket);
    const init = await oss.initMultipartUpload('large.bin');
    const parts: Array<{ number: number; etag: string }> = [];
    for (let i = 0; i < partRanges.length; i++) {
      const r = await oss.uploadPart('large.bin', init.uploadId, i + 1, file, partRanges[i].start, partRanges[i].end);
      expect((r.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(formatCrc64(partCrcs[i]));
      parts.push({ number: i + 1, etag: r.etag });
    }
    const done = await oss.completeMultipartUpload('large.bin', init.uploadId, parts);
    expect((done.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(formatCrc64(combined()));
    expect((done.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(formatCrc64(fileCrc));
    const stream = await (oss as OSS).getStream('large.bin');
    const h = new Crc64Hasher();
    for await (const chunk of stream.stream as AsyncIterable<Buffer>) h.update(chunk);
    expect(h.length).toBe(SIZE);
    expect(h.digest()).toBe(fileCrc);
  });
});
