import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest, levenshtein, parseCommandArgs } from '../../../src/cli/args';
import { runCli } from '../../../src/cli/main';
import { connectionFromArgs, parseRemoteArg, REMOTE_FLAGS } from '../../../src/cli/remote';
import { regionOfEndpoint } from '../../../src/storage/locationIdentity';
import { regionNameProblem } from '../../../src/storage/regionNames';

/** Usage errors: a short line, the closest known name, where --help is; never the whole usage. */

const keys = { COS_SECRET_ID: 'AKIDexample', COS_SECRET_KEY: 'very-secret-key', OSS_ACCESS_KEY_ID: 'id', OSS_ACCESS_KEY_SECRET: 'secret' };

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: keys, cwd: '/' });
  return { code, out, err };
}

function connection(argv: string[]) {
  const args = parseCommandArgs(argv, REMOTE_FLAGS);
  return connectionFromArgs(args, parseRemoteArg(args.positionals[0]), keys);
}

describe('usage errors', () => {
  it('a flag typo: one line naming the closest flag, then the --help hint; no raw parser text', async () => {
    const r = await run(['upload', '--jsn', 'a.txt', 'cos://b-1250000000/']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'bucket-integrity upload: unknown option --jsn (did you mean --json?)\nRun "bucket-integrity upload --help" for its options.\n',
    );
    expect(r.out).toBe('');
  });

  it('a misspelt long flag with a value, and an unknown short flag', async () => {
    expect((await run(['download', '--endpiont', 'http://127.0.0.1:9', 'cos://b/k', 'x'])).err).toContain(
      'unknown option --endpiont (did you mean --endpoint?)',
    );
    const short = await run(['crc64', '-q', 'x']);
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/^bucket-integrity crc64: unknown option -q/);
    expect(short.err).not.toMatch(/To specify a positional|'/);
  });

  it('a flag without its value says so, with no quotes left unbalanced', async () => {
    const r = await run(['upload', 'a.txt', 'cos://b/', '--region']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^bucket-integrity upload: --region needs a value\n/);
    expect(r.err).not.toMatch(/['"]--/);
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('a misspelt command names the closest one', async () => {
    const r = await run(['uplod']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "uplod" (did you mean upload?)');
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`bucket-integrity ${version}\n`);
    }
  });

  it('suggests only names close enough to be typos', () => {
    expect(levenshtein('jsn', 'json')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(closest('--jsn', ['--json', '--region'])).toBe('--json');
    expect(closest('--zzzz', ['--json', '--region'])).toBeUndefined();
  });
});

describe('--endpoint without --region', () => {
  it.each([
    ['cos', 'https://cos.ap-shanghai.myqcloud.com', 'ap-shanghai'],
    ['cos', 'https://photos-1250000000.cos.ap-beijing.myqcloud.com', 'ap-beijing'],
    ['oss', 'https://oss-cn-beijing.aliyuncs.com', 'oss-cn-beijing'],
    ['oss', 'https://b.oss-cn-shenzhen-internal.aliyuncs.com', 'oss-cn-shenzhen'],
  ] as const)('%s %s says region %s', (provider, endpoint, region) => {
    expect(regionOfEndpoint(provider, endpoint)).toBe(region);
    expect(connection([`${provider}://b/p`, '--endpoint', endpoint]).region).toBe(region);
  });

  it('still needs --region for an endpoint that names none (the emulator, accelerate)', () => {
    expect(regionOfEndpoint('cos', 'http://127.0.0.1:9000')).toBeUndefined();
    expect(regionOfEndpoint('cos', 'https://cos.accelerate.myqcloud.com')).toBeUndefined();
    expect(() => connection(['cos://b/p', '--endpoint', 'http://127.0.0.1:9000'])).toThrow(/--region is required/);
  });
});

describe('a region that cannot exist', () => {
  it('is named as a region problem before any request', () => {
    expect(() => connection(['cos://b/p', '--region', 'guangzhou'])).toThrow(/--region "guangzhou" is not a COS region.*ap-guangzhou/);
    expect(() => connection(['cos://b/p', '--region', 'cn-hangzhou'])).toThrow(/looks like an OSS region/);
    expect(() => connection(['oss://b/p', '--region', 'hangzhou'])).toThrow(/"hangzhou" is not an OSS region/);
  });

  it('accepts real region shapes, and any region with a private --endpoint', () => {
    for (const r of ['ap-guangzhou', 'na-siliconvalley', 'ap-shanghai-fsi', 'eu-frankfurt'])
      expect(regionNameProblem('cos', r)).toBeUndefined();
    for (const r of ['oss-cn-hangzhou', 'cn-hangzhou', 'ap-southeast-1', 'us-west-1', 'eu-central-1'])
      expect(regionNameProblem('oss', r)).toBeUndefined();
    expect(connection(['cos://b/p', '--region', 'anything', '--endpoint', 'http://127.0.0.1:9000']).region).toBe('anything');
  });
});

describe('help', () => {
  it.each(['crc64', 'upload', 'download', 'compare', 'verify', 'append', 'cp'])(
    '%s --help puts every option description in one column',
    async (name) => {
      const r = await run([name, '--help']);
      expect(r.code).toBe(0);
      const lines = r.out.split('\n');
      const columns = new Set<number>();
      lines.forEach((line, i) => {
        const m = /^ {2}(-\S+(?:, -\S+)?(?: <[^>]+>| [a-z]+(?:\|[a-z]+)+)?)( {2,})\S/.exec(line);
        if (m) columns.add(2 + m[1].length + m[2].length);
        else if (/^ {2}-\S/.test(line)) columns.add(/^ *(?=\S)/.exec(lines[i + 1])![0].length);
      });
      expect([...columns]).toEqual([29]);
    },
  );

  it('one default --timeout, the same in every command', async () => {
    const defaults = new Set<string>();
    for (const name of ['upload', 'download', 'compare', 'verify', 'append', 'cp']) {
      const m = /--timeout <seconds> +per request \(default (\d+)\)/.exec((await run([name, '--help'])).out);
      expect(m, name).not.toBeNull();
      defaults.add(m![1]);
    }
    expect([...defaults]).toEqual(['120']);
  });
});
