import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertNoSecrets, requestLogText, secretsOfEnv, sweepForSecrets } from '../../support/secretSweep';
import { makeTempDir } from '../../support/tempDir';

/** The sweep must find a planted secret, wherever and however it is planted, or it proves nothing. */
const temp = makeTempDir('bi-sweep-');
afterAll(() => temp.cleanup());

const SECRET = { label: 'COS_SECRET_KEY', value: 'planted-secret/value+0001' };
const ID = { label: 'COS_SECRET_ID', value: 'AKIDPLANTED0000000001' };

function folder(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(temp.dir, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

describe('secrets sweep', () => {
  it('is clean when no secret is there', async () => {
    const dir = folder('clean', { 'log/output.log': 'Connected profile "prod" (cos, ap-guangzhou; keys from the secret storage).\n' });
    await expect(
      assertNoSecrets({ secrets: [SECRET, ID], folders: [dir], texts: [{ name: 'stderr', text: 'error: access denied' }] }),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['as is, in a nested log file', 'logs/1/exthost/output.log', `signing with ${SECRET.value} now`],
    [
      'URL-encoded, in a presigned URL in a report',
      'report.txt',
      `https://b.cos.example/k?q-ak=x&secret=${encodeURIComponent(SECRET.value)}`,
    ],
    ['base64, in a checkpoint', 'checkpoints/a.json', JSON.stringify({ blob: Buffer.from(SECRET.value).toString('base64') })],
  ])('finds a secret planted %s, and names the file but never the value', async (_how, rel, content) => {
    const dir = folder(`planted-${rel.replace(/\W/g, '-')}`, { [rel]: content, 'other.txt': 'nothing' });
    const leaks = await sweepForSecrets({ secrets: [SECRET], folders: [dir] });
    expect(leaks).toHaveLength(1);
    expect(leaks[0].where).toBe(join(dir, rel));
    const thrown = await assertNoSecrets({ secrets: [SECRET], folders: [dir] }).catch((e: Error) => e);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toContain('COS_SECRET_KEY');
    expect((thrown as Error).message).not.toContain(SECRET.value);
  });

  it('finds a secret across the boundary of two read chunks of a large file', async () => {
    const before = Buffer.alloc((1 << 20) - 5, 'a');
    const dir = folder('large', { 'record.sqlite': Buffer.concat([before, Buffer.from(ID.value), Buffer.alloc(1000, 'b')]) });
    expect(await sweepForSecrets({ secrets: [ID], folders: [dir] })).toEqual([
      { secret: 'COS_SECRET_ID (as is)', where: join(dir, 'record.sqlite') },
    ]);
  });

  it('finds a key id in captured output and in error messages', async () => {
    const leaks = await sweepForSecrets({ secrets: [ID], texts: [{ name: 'stdout of upload', text: `InvalidAccessKeyId ${ID.value}` }] });
    expect(leaks).toEqual([{ secret: 'COS_SECRET_ID (as is)', where: 'stdout of upload' }]);
  });

  it('leaves out skipped files and too-short values', async () => {
    const dir = folder('skipped', { 'state.vscdb': SECRET.value, 'ok.log': 'id' });
    expect(
      await sweepForSecrets({ secrets: [SECRET, { label: 'short', value: 'id' }], folders: [dir], skip: (p) => p.endsWith('.vscdb') }),
    ).toEqual([]);
  });

  it('takes the key variables of an environment, and only those', () => {
    expect(
      secretsOfEnv({
        PATH: '/bin',
        COS_SECRET_ID: 'a',
        OSS_SESSION_TOKEN: 'b',
        BUCKET_INTEGRITY_DEST_COS_SECRET_KEY: 'c',
        BUCKET_INTEGRITY_STATE_DIR: '/s',
      }),
    ).toEqual([
      { label: 'COS_SECRET_ID', value: 'a' },
      { label: 'OSS_SESSION_TOKEN', value: 'b' },
      { label: 'BUCKET_INTEGRITY_DEST_COS_SECRET_KEY', value: 'c' },
    ]);
  });

  it('reads a request log without its Authorization headers, and with everything else', async () => {
    const log = [{ op: 'HeadObject', headers: { Authorization: `q-ak=${ID.value}`, 'x-cos-security-token': SECRET.value } }];
    const text = requestLogText(log);
    expect(text).not.toContain(ID.value);
    expect(await sweepForSecrets({ secrets: [SECRET], texts: [{ name: 'request log', text }] })).toHaveLength(1);
  });
});
