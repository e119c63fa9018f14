import { describe, expect, it } from 'vitest';
import { crc64, formatCrc64 } from '../../../src/crc';
import { cosCall } from '../../support/emulator';
import { sdkSuite } from './sdkSuite';

/**
 * The emulator's bucket versioning and OSS symlinks through the real SDKs. What is expected is what the
 * services document: COS "PUT Bucket versioning", "GET Object versions" (ListVersionsResult with Version
 * and DeleteMarker), OSS PutBucketVersioning / ListObjectVersions / PutSymlink / GetSymlink, and the
 * `x-…-version-id` and `x-…-delete-marker` headers.
 */

const s = sdkSuite('versions');

/** The ali-oss calls its type declarations leave out (they are in the SDK: lib/common/bucket, lib/common/object). */
interface OssVersioning {
  putBucketVersioning(bucket: string, status: string): Promise<unknown>;
  getBucketVersioning(bucket: string): Promise<{ versionStatus?: string }>;
  getBucketVersions(
    query: object,
  ): Promise<{ objects: Array<{ versionId: string; isLatest: boolean }>; deleteMarker: Array<{ name: string }> }>;
  head(name: string, options?: object): Promise<{ res: { headers: unknown } }>;
}
const ossV = () => s.oss as unknown as OssVersioning;
const crcOf = (text: string) => formatCrc64(crc64(Buffer.from(text)));

describe('COS versioning through cos-nodejs-sdk-v5', () => {
  const at = () => ({ Bucket: s.cosBucket, Region: s.emu.cos.region });

  it('an unversioned bucket gives no version ids and reports no status', async () => {
    const put = await cosCall(s.cos.putObject.bind(s.cos), { ...at(), Key: 'plain', Body: 'x' });
    expect(put.headers!['x-cos-version-id']).toBeUndefined();
    const v = await cosCall(s.cos.getBucketVersioning.bind(s.cos), at());
    expect(v.VersioningConfiguration).toEqual({});
  });

  it('keeps every version, adds a delete marker, reads a version by id and lists them all', async () => {
    await cosCall(s.cos.putBucketVersioning.bind(s.cos), { ...at(), VersioningConfiguration: { Status: 'Enabled' } });
    const v = await cosCall(s.cos.getBucketVersioning.bind(s.cos), at());
    expect((v.VersioningConfiguration as { Status: string }).Status).toBe('Enabled');
    const first = await cosCall(s.cos.putObject.bind(s.cos), { ...at(), Key: 'doc.txt', Body: 'first' });
    const second = await cosCall(s.cos.putObject.bind(s.cos), { ...at(), Key: 'doc.txt', Body: 'second!' });
    const id1 = first.headers!['x-cos-version-id'];
    const id2 = second.headers!['x-cos-version-id'];
    expect(id1).toBeTruthy();
    expect(id2).toBeTruthy();
    expect(id1).not.toBe(id2);
    const old = await cosCall(s.cos.getObject.bind(s.cos), { ...at(), Key: 'doc.txt', VersionId: id1 });
    expect(String(old.Body)).toBe('first');
    expect(old.headers!['x-cos-hash-crc64ecma']).toBe(crcOf('first'));
    expect(old.headers!['x-cos-version-id']).toBe(id1);
    const head = await cosCall(s.cos.headObject.bind(s.cos), { ...at(), Key: 'doc.txt', VersionId: id1 });
    expect(head.headers!['content-length']).toBe('5');
    const del = await cosCall(s.cos.deleteObject.bind(s.cos), { ...at(), Key: 'doc.txt' });
    expect(del.headers!['x-cos-delete-marker']).toBe('true');
    const markerId = del.headers!['x-cos-version-id'];
    await expect(cosCall(s.cos.headObject.bind(s.cos), { ...at(), Key: 'doc.txt' })).rejects.toMatchObject({ statusCode: 404 });
    const listed = await cosCall(s.cos.getBucket.bind(s.cos), { ...at(), Prefix: 'doc' });
    expect(listed.Contents).toEqual([]);
    const versions = await cosCall(s.cos.listObjectVersions.bind(s.cos), { ...at(), Prefix: 'doc' });
    const vs = versions.Versions as Array<{ Key: string; VersionId: string; IsLatest: string; Size: string }>;
    const dms = versions.DeleteMarkers as Array<{ Key: string; VersionId: string; IsLatest: string }>;
    expect(vs.map((x) => [x.VersionId, x.IsLatest, x.Size])).toEqual([
      [id2, 'false', '7'],
      [id1, 'false', '5'],
    ]);
    expect(dms.map((x) => [x.VersionId, x.IsLatest])).toEqual([[markerId, 'true']]);
    // Deleting the marker by its id makes the newest version current again.
    await cosCall(s.cos.deleteObject.bind(s.cos), { ...at(), Key: 'doc.txt', VersionId: markerId });
    const back = await cosCall(s.cos.getObject.bind(s.cos), { ...at(), Key: 'doc.txt' });
    expect(String(back.Body)).toBe('second!');
    expect(back.headers!['x-cos-version-id']).toBe(id2);
  });

  it('copies a version by id, and the copy gets a version id of its own', async () => {
    const first = await cosCall(s.cos.putObject.bind(s.cos), { ...at(), Key: 'src', Body: 'one' });
    await cosCall(s.cos.putObject.bind(s.cos), { ...at(), Key: 'src', Body: 'two' });
    const id1 = first.headers!['x-cos-version-id'];
    const host = `${s.cosBucket}.cos.${s.emu.cos.region}.myqcloud.com`;
    const copied = await cosCall(s.cos.putObjectCopy.bind(s.cos), { ...at(), Key: 'dst', CopySource: `${host}/src?versionId=${id1}` });
    expect(copied.headers!['x-cos-version-id']).toBeTruthy();
    const got = await cosCall(s.cos.getObject.bind(s.cos), { ...at(), Key: 'dst' });
    expect(String(got.Body)).toBe('one');
  });

  it('a version id that does not exist is 404 NoSuchVersion; a delete marker by id is 405', async () => {
    await expect(cosCall(s.cos.getObject.bind(s.cos), { ...at(), Key: 'doc.txt', VersionId: 'nope' })).rejects.toMatchObject({
      statusCode: 404,
      code: 'NoSuchVersion',
    });
    const del = await cosCall(s.cos.deleteObject.bind(s.cos), { ...at(), Key: 'doc.txt' });
    await expect(
      cosCall(s.cos.getObject.bind(s.cos), { ...at(), Key: 'doc.txt', VersionId: del.headers!['x-cos-version-id'] }),
    ).rejects.toMatchObject({ statusCode: 405 });
  });

  it('pages a versions listing by key and version id markers', async () => {
    for (const body of ['a', 'b', 'c']) await cosCall(s.cos.putObject.bind(s.cos), { ...at(), Key: 'pg/x', Body: body });
    await cosCall(s.cos.putObject.bind(s.cos), { ...at(), Key: 'pg/y', Body: 'y' });
    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await cosCall(s.cos.listObjectVersions.bind(s.cos), {
        ...at(),
        Prefix: 'pg/',
        MaxKeys: '2',
        KeyMarker,
        VersionIdMarker,
      });
      for (const v of page.Versions as Array<{ Key: string; VersionId: string }>) seen.push(v.Key);
      if (page.IsTruncated !== 'true') break;
      KeyMarker = page.NextKeyMarker as string;
      VersionIdMarker = page.NextVersionIdMarker as string;
    }
    expect(seen).toEqual(['pg/x', 'pg/x', 'pg/x', 'pg/y']);
  });
});

describe('OSS versioning and symlinks through ali-oss', () => {
  it('keeps versions, adds delete markers, lists them with ListObjectVersions', async () => {
    await ossV().putBucketVersioning(s.ossBucket, 'Enabled');
    expect((await ossV().getBucketVersioning(s.ossBucket)).versionStatus).toBe('Enabled');
    const first = await s.oss.put('doc.txt', Buffer.from('first'));
    const second = await s.oss.put('doc.txt', Buffer.from('second!'));
    const id1 = (first.res.headers as Record<string, string>)['x-oss-version-id'];
    const id2 = (second.res.headers as Record<string, string>)['x-oss-version-id'];
    expect(id1).toBeTruthy();
    expect(id1).not.toBe(id2);
    const old = await s.oss.get('doc.txt', { versionId: id1 });
    expect(String(old.content)).toBe('first');
    const head = await ossV().head('doc.txt', { versionId: id1 });
    expect((head.res.headers as Record<string, string>)['x-oss-hash-crc64ecma']).toBe(crcOf('first'));
    const del = await s.oss.delete('doc.txt');
    expect((del.res.headers as Record<string, string>)['x-oss-delete-marker']).toBe('true');
    await expect(s.oss.head('doc.txt')).rejects.toMatchObject({ status: 404 });
    const list = await ossV().getBucketVersions({ prefix: 'doc' });
    expect(list.objects.map((o) => [o.versionId, o.isLatest])).toEqual([
      [id2, false],
      [id1, false],
    ]);
    expect(list.deleteMarker.map((d) => d.name)).toEqual(['doc.txt']);
    await expect(s.oss.get('doc.txt', { versionId: 'does-not-exist' })).rejects.toMatchObject({ status: 404, code: 'NoSuchVersion' });
  });

  it('a symlink reads as its target (bytes, length, CRC-64) and says it is a link; GetSymlink names the target', async () => {
    await s.oss.put('target.bin', Buffer.from('the target bytes'));
    await s.oss.putSymlink('link.bin', 'target.bin');
    const sym = await s.oss.getSymlink('link.bin');
    expect(sym.targetName).toBe('target.bin');
    const head = await s.oss.head('link.bin');
    const h = head.res.headers as Record<string, string>;
    expect(h['x-oss-object-type']).toBe('Symlink');
    expect(h['content-length']).toBe(String('the target bytes'.length));
    expect(h['x-oss-hash-crc64ecma']).toBe(crcOf('the target bytes'));
    const got = await s.oss.get('link.bin');
    expect(String(got.content)).toBe('the target bytes');
    const listed = await s.oss.listV2({ prefix: 'link' });
    expect((listed.objects as Array<{ name: string; type: string }>).map((o) => [o.name, o.type])).toEqual([['link.bin', 'Symlink']]);
  });

  it('a symlink whose target is gone answers 404 SymlinkTargetNotExist', async () => {
    await s.oss.putSymlink('dangling', 'not-there');
    await expect(s.oss.get('dangling')).rejects.toMatchObject({ status: 404, code: 'SymlinkTargetNotExist' });
  });
});
