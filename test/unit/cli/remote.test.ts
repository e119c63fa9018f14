import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../src/cli/args';
import { UsageError } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/main';
import { connectionFromArgs, parseRemoteArg, REMOTE_FLAGS, remoteUsage } from '../../../src/cli/remote';

const env = { COS_SECRET_ID: 'AKIDexample', COS_SECRET_KEY: 'very-secret-key' };

function connection(argv: string[], environment: NodeJS.ProcessEnv = env) {
  const args = parseCommandArgs(argv, REMOTE_FLAGS);
  return connectionFromArgs(args, parseRemoteArg(args.positionals[0]), environment);
}

describe('CLI remote options', () => {
  it('builds connection options from flags and environment keys', () => {
    const options = connection([
      'cos://photos-1250000000/2024/',
      '--region',
      'ap-guangzhou',
      '--endpoint',
      'http://127.0.0.1:9000',
      '--timeout',
      '5',
    ]);
    expect(options).toEqual({
      provider: 'cos',
      region: 'ap-guangzhou',
      endpoint: 'http://127.0.0.1:9000',
      timeoutMs: 5000,
      credentials: { accessKeyId: 'AKIDexample', secretAccessKey: 'very-secret-key' },
    });
  });

  it('takes an STS token from the environment', () => {
    const options = connection(['oss://b/p', '--region', 'cn-hangzhou'], {
      OSS_ACCESS_KEY_ID: 'id',
      OSS_ACCESS_KEY_SECRET: 'secret',
      OSS_SESSION_TOKEN: 'token',
    });
    expect(options.credentials.sessionToken).toBe('token');
  });

  it.each([
    [['cos://b/p'], /--region is required/],
    [['s3://b/p', '--region', 'r'], /expected a remote like cos:\/\//],
    [['cos://b/p', '--region', 'r', '--provider', 'oss'], /does not match/],
    [['cos://b/p', '--region', 'r', '--provider', 'gcs'], /must be "cos" or "oss"/],
    [['cos://b/p', '--region', 'r', '--endpoint', 'ftp://x'], /http:\/\/ or https:\/\//],
    [['cos://b/p', '--region', 'ap-guangzhou', '--timeout', '2.5'], /positive integer/],
    [['cos://b/p', '--region', 'r', '--bogus'], /unknown option --bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => connection(argv)).toThrow(message);
  });

  it('refuses plain HTTP to a host that is not loopback, saying keys and tokens would travel in clear', () => {
    const argv = ['cos://b/p', '--region', 'ap-guangzhou', '--endpoint', 'http://collector.example:8080'];
    expect(() => connection(argv)).toThrow(UsageError);
    expect(() => connection(argv)).toThrow(/travel in clear[\s\S]*--allow-insecure-endpoint/);
    expect(() => connection(argv)).not.toThrow(/very-secret-key|AKIDexample/);
    expect(connection([...argv, '--allow-insecure-endpoint'])).toMatchObject({
      endpoint: 'http://collector.example:8080',
      allowInsecureEndpoint: true,
    });
    // HTTPS anywhere and HTTP to this machine need nothing.
    expect(connection(['cos://b/p', '--region', 'r', '--endpoint', 'https://collector.example']).allowInsecureEndpoint).toBeUndefined();
    expect(connection(['cos://b/p', '--region', 'r', '--endpoint', 'http://localhost:9000']).allowInsecureEndpoint).toBeUndefined();
  });

  it('documents --allow-insecure-endpoint with the other remote flags', () => {
    expect(remoteUsage()).toContain('--allow-insecure-endpoint');
  });

  it('names the variables to set when keys are missing, and never prints a key', () => {
    let error: unknown;
    try {
      connection(['cos://b/p', '--region', 'ap-guangzhou'], { COS_SECRET_ID: 'AKIDexample' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('COS_SECRET_ID and COS_SECRET_KEY');
    expect((error as Error).message).not.toContain('AKIDexample');
  });
});

describe('CLI dispatcher', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env: {}, cwd: '/' }, out, err };
  }

  it('exits 2 on an unknown command, pointing at --help instead of printing it', async () => {
    const { io, err } = capture();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(err.join('')).toMatch(/unknown command "frobnicate"\nRun "bucket-integrity --help" for the commands/);
  });

  it('prints usage on --help and exits 0', async () => {
    const { io, out } = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(out.join('')).toContain('Usage: bucket-integrity <command>');
  });
});

describe('CLI --timeout', () => {
  it('uses the default the usage text states', () => {
    const stated = /--timeout <seconds>.*\(default (\d+)\)/.exec(remoteUsage());
    expect(stated).not.toBeNull();
    expect(connection(['cos://photos-1250000000/', '--region', 'ap-guangzhou']).timeoutMs).toBe(Number(stated![1]) * 1000);
  });
});
