import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore, ProviderKind } from '../../../src/storage/types';
import { startTestEmulator, type Emulator } from '../../support/emulator';
import { emulatorStore } from '../../support/emulatorStore';
import { makeTempDir } from '../../support/tempDir';
import { cli, makeBucket, regions } from './fixtures';

/**
 * `bucket-integrity verify <remote> <remote>` between two accounts of one cloud: each side reads with its
 * own keys (the second's from BUCKET_INTEGRITY_DEST_*), and a key refused on one side is said naming that
 * side. The emulator holds a second account whose buckets the main keys cannot read.
 */

let emu: Emulator;
const temp = makeTempDir('bi-audit-accounts-');

/** The second account: its own keys, its own buckets (COS: its own APPID, which its bucket names end with). */
const SECOND = {
  cos: { id: 'AKIDSECONDACCOUNT00000000000000000000', secret: 'second-account-cos-secret', appId: '1250000999' },
  oss: { id: 'LTAI5tSecondAccount000000', secret: 'second-account-oss-secret' },
} as const;
const ENV_NAMES = {
  cos: { id: 'COS_SECRET_ID', secret: 'COS_SECRET_KEY' },
  oss: { id: 'OSS_ACCESS_KEY_ID', secret: 'OSS_ACCESS_KEY_SECRET' },
} as const;

beforeAll(async () => {
  emu = await startTestEmulator();
  emu.addAccount('cos', { id: SECOND.cos.id, secret: SECOND.cos.secret, owner: 'second-account', appId: SECOND.cos.appId });
  emu.addAccount('oss', { id: SECOND.oss.id, secret: SECOND.oss.secret, owner: 'second-account' });
});
afterAll(async () => {
  await emu.close();
  temp.cleanup();
});

/** The second account's keys as the CLI reads them for the second remote. */
function destKeys(p: ProviderKind, secret: string = SECOND[p].secret): NodeJS.ProcessEnv {
  return { [`BUCKET_INTEGRITY_DEST_${ENV_NAMES[p].id}`]: SECOND[p].id, [`BUCKET_INTEGRITY_DEST_${ENV_NAMES[p].secret}`]: secret };
}

describe.each(['cos', 'oss'] as const)('verify between two %s accounts', (p) => {
  let urlA: string;
  let urlB: string;
  let dir: string;
  let n = 0;
  const run = (env: NodeJS.ProcessEnv) =>
    cli(emu, dir, ['--restart', `--state-dir=${dir}/state-${++n}`, ...regions(emu, p, p), urlA, urlB], undefined, env);

  beforeAll(async () => {
    dir = `${temp.dir}/${p}`;
    const main = await emulatorStore(emu, p);
    const second: ObjectStore = await emulatorStore(emu, p, {
      credentials: { accessKeyId: SECOND[p].id, secretAccessKey: SECOND[p].secret },
    });
    const bucketA = await makeBucket(emu, p, 'accta');
    const bucketB = p === 'cos' ? `acctb${Date.now()}-${SECOND.cos.appId}` : `acctb${Date.now()}-oss`;
    await second.createBucket(bucketB);
    for (const [k, a, b] of [
      ['same.txt', 'the same bytes', 'the same bytes'],
      ['changed.txt', 'version one', 'version two'],
    ]) {
      await main.put(bucketA, `src/${k}`, Buffer.from(a));
      await second.put(bucketB, `copy/${k}`, Buffer.from(b));
    }
    urlA = `${p}://${bucketA}/src/`;
    urlB = `${p}://${bucketB}/copy/`;
  });

  it('reads each side with its own keys', async () => {
    const { code, stdout, stderr } = await run(destKeys(p));
    expect(stderr).not.toMatch(/denied|credentials/i);
    expect(stdout).toMatch(/^\* changed\.txt/m);
    expect(stdout).toMatch(/2 objects audited/);
    expect(stdout).toContain(': 1 = match, 1 * differ, 0 + only-local, 0 - only-remote, 0 ? no-crc, 0 ! error;');
    expect(code).toBe(1);
  });

  it("without the second account's keys, the second side is named as the one refused", async () => {
    const { code, stderr } = await run({});
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`second remote: .*denied.*${urlB}`, 'i'));
    expect(stderr).not.toContain('first remote:');
    // The way out: the other account's keys, by the names the second remote reads.
    expect(stderr).toContain(`BUCKET_INTEGRITY_DEST_${ENV_NAMES[p].secret}`);
  });

  it('a wrong secret on the second side names the second side, and never shows the secret', async () => {
    const { code, stderr } = await run(destKeys(p, 'not-the-right-secret'));
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`second remote: .*credentials.*${urlB}`));
    expect(stderr).toContain(
      `Its keys are read from BUCKET_INTEGRITY_DEST_${ENV_NAMES[p].id} and BUCKET_INTEGRITY_DEST_${ENV_NAMES[p].secret}`,
    );
    expect(stderr).not.toContain('first remote:');
    expect(stderr).not.toContain('not-the-right-secret');
  });

  it('a wrong secret on the first side names the first side', async () => {
    const { code, stderr } = await run({ ...destKeys(p), [ENV_NAMES[p].secret]: 'wrong-main-secret' });
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`first remote: .*credentials.*${urlA}`));
    expect(stderr).toContain(`Its keys are read from ${ENV_NAMES[p].id} and ${ENV_NAMES[p].secret}`);
    expect(stderr).not.toContain('second remote:');
    expect(stderr).not.toContain('wrong-main-secret');
  });
});
