import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { e2eContext, EXTENSION_ID, requireDemo } from './context';

/**
 * A cloned repository must not redirect the user's keys. The workspace's `.vscode/settings.json` here
 * redefines the user's demo profiles (same names) to point at a second local server that records every
 * request it receives, and adds a profile of its own. Listing, comparing and opening objects must send
 * that server nothing — above all nothing carrying the user's AccessKeyId — while the user's profiles keep
 * going to their own endpoint (the emulator, whose request log is the outside witness).
 */

const ctx = e2eContext();

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A server that answers every request with 403 and remembers it. */
async function startRecorder(): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function eventually(what: string, probe: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function emulatorRequests(): Promise<Array<{ op: string; bucket?: string }>> {
  const res = await fetch(`${ctx.emulator!.endpoint}/_emulator/requests`);
  return (await res.json()) as Array<{ op: string; bucket?: string }>;
}

/** Everything a recorded request carried, as one text to search. */
function carried(r: Recorded): string {
  return `${r.method} ${r.url}\n${JSON.stringify(r.headers)}`;
}

describe('hostile workspace settings', function () {
  const settingsFile = path.join(ctx.workspace, '.vscode', 'settings.json');
  const PAGE_SIZE_MARK = 37;
  let original: string;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  const pageSize = () => vscode.workspace.getConfiguration('bucketIntegrity').get<number>('pageSize');

  before(async function () {
    requireDemo(ctx);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    recorder = await startRecorder();
    original = fs.readFileSync(settingsFile, 'utf8');
    const settings = JSON.parse(original) as Record<string, unknown>;
    settings['bucketIntegrity.profiles'] = [
      ...ctx.demo!.profiles.map((p) => ({ name: p.name, provider: p.provider, region: p.region, endpoint: recorder.url })),
      { name: 'Workspace Only', provider: 'cos', region: ctx.emulator!.cos.region, endpoint: recorder.url },
    ];
    // A workspace setting the extension does read: once it shows, the file has been taken in.
    settings['bucketIntegrity.pageSize'] = PAGE_SIZE_MARK;
    fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    await eventually('the workspace settings taken in', () => pageSize() === PAGE_SIZE_MARK);
    await fetch(`${ctx.emulator!.endpoint}/_emulator/requests`, { method: 'DELETE' });
  });

  after(async () => {
    if (original !== undefined) {
      fs.writeFileSync(settingsFile, original);
      await eventually('the workspace settings restored', () => pageSize() !== PAGE_SIZE_MARK).catch(() => undefined);
    }
    await recorder?.close();
  });

  it('sends no request carrying the user keys to the endpoint a workspace names, and the user profiles still reach their own', async () => {
    const cos = ctx.demo!.profiles.find((p) => p.provider === 'cos')!;
    const oss = ctx.demo!.profiles.find((p) => p.provider === 'oss')!;
    // What a user does first: open the view, refresh it, browse a bucket of each profile, compare a mapped folder.
    await vscode.commands.executeCommand('workbench.view.extension.bucketIntegrity');
    await vscode.commands.executeCommand('bucketIntegrity.refresh');
    // Failures are kept, not thrown: where the requests went is the first thing to report.
    const list = (uri: vscode.Uri) => Promise.resolve(vscode.workspace.fs.readDirectory(uri)).catch((err: Error) => err);
    const cosEntries = await list(vscode.Uri.from({ scheme: 'cos', authority: cos.name, path: `/${cos.buckets[1]}/` }));
    const ossEntries = await list(vscode.Uri.from({ scheme: 'oss', authority: oss.name, path: `/${oss.buckets[0]}/` }));
    const outcome = await vscode.commands.executeCommand<{ results: Array<{ status: string }> }>(
      'bucketIntegrity.compareWithRemote',
      vscode.Uri.file(path.join(ctx.workspace, 'site')),
    );
    // Anything sent in the background (badges, re-checks) has had time to arrive.
    await new Promise((r) => setTimeout(r, 1500));

    const keyIds = [ctx.emulator!.cos.secretId, ctx.emulator!.oss.accessKeyId];
    const withKeys = recorder.requests.filter((r) => keyIds.some((id) => carried(r).includes(id)));
    assert.deepEqual(
      withKeys.map((r) => `${r.method} ${r.url}`),
      [],
      'requests carrying the user AccessKeyId reached the workspace endpoint',
    );
    assert.deepEqual(
      recorder.requests.map((r) => `${r.method} ${r.url}`),
      [],
      'the workspace endpoint received requests',
    );

    // The user's profiles went where the user sent them: the emulator listed both buckets and answered the HEADs.
    for (const entries of [cosEntries, ossEntries]) {
      if (entries instanceof Error) throw entries;
      assert.ok(entries.length > 0, 'a listing came back empty');
    }
    assert.ok(outcome?.results.length, 'compare gave no results');
    assert.ok(
      outcome.results.every((r) => r.status !== 'error'),
      JSON.stringify(outcome.results),
    );
    const seen = await emulatorRequests();
    for (const bucket of [cos.buckets[1], oss.buckets[0]]) {
      assert.ok(
        seen.some((r) => r.bucket === bucket && /^List/i.test(r.op)),
        `no listing of ${bucket} reached the emulator: ${JSON.stringify(seen.slice(0, 20))}`,
      );
    }
  });

  it('knows no profile that only the workspace defines', async () => {
    const uri = vscode.Uri.from({ scheme: 'cos', authority: 'Workspace Only', path: `/${ctx.demo!.profiles[0].buckets[1]}/` });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readDirectory(uri)), /no profile named "Workspace Only"|Workspace Only/);
    assert.equal(recorder.requests.length, 0, 'the workspace endpoint received requests');
  });
});
