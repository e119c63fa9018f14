import { describe, expect, it } from 'vitest';
import { ResultsModel, rowOpens, runDescription, type NewRun, type ResultRow } from '../../../src/integrity/results';
import { judge, type Pair } from '../../../src/integrity/verdict';

/** A row judged by the one verdict module from the pair it stands for. */
function row(path: string, pair: Pair, localPath?: string): ResultRow {
  const { verdict, detail } = judge(pair);
  return {
    status: verdict,
    path,
    profile: 'p',
    bucket: 'b',
    key: `site/${path}`,
    ...(localPath ? { localPath } : {}),
    ...(detail ? { detail } : {}),
  };
}

const rows: ResultRow[] = [
  row('a.txt', { local: { size: 1, crc64: '7' }, remote: { size: 1, crc64: '7' } }, '/w/site/a.txt'),
  row('b.txt', { local: { size: 1, crc64: '7' }, remote: { size: 1, crc64: '8' } }, '/w/site/b.txt'),
  row('c.txt', { local: { size: 1, crc64: '7' } }, '/w/site/c.txt'),
  row('d.txt', { remote: { size: 1, crc64: '7' } }),
  row('e.txt', { local: { size: 1 }, remote: { size: 1 } }, '/w/site/e.txt'),
  row('f.txt', { local: { size: 2, crc64: '1' }, remote: { size: 1, crc64: '1' } }, '/w/site/f.txt'),
];

const run = (title: string, extra: Partial<NewRun> = {}): NewRun => ({
  kind: 'compare',
  title,
  at: new Date(0),
  rows,
  report: `report of ${title}\n`,
  ...extra,
});

describe('ResultsModel', () => {
  it('groups a run by verdict in report order, with every row of each group', () => {
    const model = new ResultsModel();
    const added = model.add(run('one'));
    const groups = model.groups(added);
    expect(groups.map((g) => [g.status, g.rows.map((r) => r.path)])).toEqual([
      ['match', ['a.txt']],
      ['differ', ['b.txt', 'f.txt']],
      ['only-local', ['c.txt']],
      ['only-remote', ['d.txt']],
      ['no-crc', ['e.txt']],
    ]);
    expect(groups.find((g) => g.status === 'differ')!.rows[1].detail).toBe('sizes differ (local 2, remote 1 bytes)');
    expect(runDescription(added)).toBe('6 files: 1 match, 2 differ, 1 only local, 1 only in the bucket, 1 without CRC-64.');
  });

  it('keeps the newest runs first and only the last twenty', () => {
    const model = new ResultsModel();
    for (let i = 1; i <= 22; i++) model.add(run(`run ${i}`));
    expect(model.runs().map((r) => r.title)).toEqual(Array.from({ length: 20 }, (_, i) => `run ${22 - i}`));
    expect(model.get(model.runs()[0].id)?.title).toBe('run 22');
    expect(model.get(1)).toBeUndefined();
  });

  it('filters groups by outcome, and showing every outcome is no filter', () => {
    const model = new ResultsModel();
    const added = model.add(run('one'));
    model.setFilter(['differ', 'only-local']);
    expect(model.groups(added).map((g) => g.status)).toEqual(['differ', 'only-local']);
    expect([...model.filter!]).toEqual(['differ', 'only-local']);
    model.setFilter(['match', 'differ', 'only-local', 'only-remote', 'no-crc', 'error']);
    expect(model.filter).toBeUndefined();
    expect(model.groups(added)).toHaveLength(5);
  });

  it("keeps a bounded number of rows but the run's own counts", () => {
    const model = new ResultsModel(10, 2);
    const counts = { match: 1000, differ: 2, 'only-local': 0, 'only-remote': 0, 'no-crc': 0, error: 0, total: 1002 };
    const added = model.add(run('big', { kind: 'verify', counts, rows: rows.slice(0, 2) }));
    expect(added.rows).toHaveLength(2);
    expect(added.dropped).toBe(1000);
    expect(model.groups(added).map((g) => [g.status, g.count, g.rows.length])).toEqual([
      ['match', 1000, 1],
      ['differ', 2, 1],
    ]);
    expect(runDescription(added)).toBe('1002 objects: 1000 match, 2 differ.');
  });

  it('tells listeners of every change, and clears', () => {
    const model = new ResultsModel();
    let changes = 0;
    const sub = model.onDidChange(() => changes++);
    model.add(run('one'));
    model.setFilter(['differ']);
    model.clear();
    expect(changes).toBe(3);
    expect(model.runs()).toEqual([]);
    sub.dispose();
    model.add(run('two'));
    expect(changes).toBe(3);
  });
});

describe('rowOpens', () => {
  it('opens changes when both sides exist, the object without a local file, the file without an object', () => {
    expect(rows.map((r) => [r.path, rowOpens(r)])).toEqual([
      ['a.txt', 'changes'],
      ['b.txt', 'changes'],
      ['c.txt', 'file'],
      ['d.txt', 'object'],
      ['e.txt', 'changes'],
      ['f.txt', 'changes'],
    ]);
    // Verify against the record: no local side, so the object.
    expect(rowOpens(row('g.txt', { against: 'record', remote: { size: 1, crc64: '1' } }))).toBe('object');
  });
});
