import { describe, expect, it } from 'vitest';
import { ResultsModel, type NewRun, type ResultRow } from '../../../src/integrity/results';
import { fromStored, isStoredRun, reportFileName, STORED_ROWS_PER_RUN, toStored } from '../../../src/integrity/resultsStore';
import { countVerdicts } from '../../../src/integrity/verdict';

/** The Results view's runs as stored across a window reload, and the model taking them back. */

const row = (i: number, status: ResultRow['status'] = 'match'): ResultRow => ({
  status,
  path: `f${i}.txt`,
  profile: 'Demo COS',
  bucket: 'b',
  key: `site/f${i}.txt`,
  localPath: `/w/site/f${i}.txt`,
});
const newRun = (title: string, extra: Partial<NewRun> = {}): NewRun => ({
  kind: 'compare',
  title,
  at: new Date('2026-01-02T03:04:05Z'),
  rows: [row(1), row(2, 'differ')],
  report: `report of ${title}\n`,
  ...extra,
});

describe('stored Results runs', () => {
  it('a run goes through JSON and comes back with its title, time, counts, rows, report and replay', () => {
    const model = new ResultsModel();
    const live = model.add(newRun('Compare: site', { replay: { jobs: [{ bucket: 'b', key: 'site/' }] } }));
    const json = JSON.parse(JSON.stringify(toStored(live, reportFileName(live))));
    expect(isStoredRun(json)).toBe(true);
    const back = fromStored(json, live.report)!;
    const restored = new ResultsModel();
    const [run] = (restored.restore([back]), restored.runs());
    expect({
      title: run.title,
      at: run.at.toISOString(),
      counts: run.counts,
      rows: run.rows,
      report: run.report,
      replay: run.replay,
    }).toEqual({
      title: live.title,
      at: live.at.toISOString(),
      counts: live.counts,
      rows: live.rows,
      report: live.report,
      replay: live.replay,
    });
  });

  it('a Compare with Bucket run comes back as one, re-run by the audit rerunner with its two places', async () => {
    const places = { first: { profile: 'A', bucket: 'one', prefix: 'src/' }, other: { profile: 'B', bucket: 'two', prefix: '' } };
    const live = new ResultsModel().add(newRun('Compare cos://one/src/ ↔ cos://two/', { kind: 'audit', replay: places }));
    const back = fromStored(JSON.parse(JSON.stringify(toStored(live, 'a.txt'))), live.report)!;
    const restored = new ResultsModel();
    restored.restore([back]);
    const seen: unknown[] = [];
    restored.setRerunner('compare', async () => seen.push('compare'));
    restored.setRerunner('audit', async (replay) => seen.push(replay));
    await restored.runs()[0].rerun!();
    expect(restored.runs()[0].kind).toBe('audit');
    expect(seen).toEqual([places]);
  });

  it('stores at most STORED_ROWS_PER_RUN rows, and the counts of all', () => {
    const rows = Array.from({ length: STORED_ROWS_PER_RUN + 7 }, (_, i) => row(i, i % 3 ? 'match' : 'differ'));
    const live = new ResultsModel().add(newRun('big', { rows }));
    const stored = toStored(live, 'x.txt');
    expect(stored.rows).toHaveLength(STORED_ROWS_PER_RUN);
    expect(stored.counts).toEqual(countVerdicts(rows));
    const model = new ResultsModel();
    model.restore([fromStored(stored, '')!]);
    expect(model.runs()[0].counts).toEqual(countVerdicts(rows));
    expect(model.runs()[0].dropped).toBe(7);
  });

  it('drops what is not a stored run: another version, a bad kind, a report name with a path, bad rows', () => {
    const good = toStored(new ResultsModel().add(newRun('ok')), 'ok.txt');
    expect(isStoredRun(good)).toBe(true);
    for (const bad of [
      null,
      { ...good, v: 2 },
      { ...good, kind: 'delete' },
      { ...good, reportFile: '../../etc/passwd' },
      { ...good, at: 'yesterday' },
      { ...good, rows: [{ ...good.rows[0], status: 'fine' }] },
      { ...good, counts: { match: 1 } },
    ])
      expect(isStoredRun(bad), JSON.stringify(bad)).toBe(false);
  });

  it("restored runs come after this window's, within the bound, and re-run through their kind's rerunner", async () => {
    const model = new ResultsModel(3);
    model.add(newRun('new'));
    model.restore([newRun('old 1', { replay: { n: 1 } }), newRun('old 2'), newRun('old 3')]);
    expect(model.runs().map((r) => r.title)).toEqual(['new', 'old 1', 'old 2']);
    const old = model.runs()[1];
    expect(model.runs()[2].rerun).toBeUndefined();
    // The rerunner may register after the runs were restored: it is looked up when Re-run is asked.
    await expect(old.rerun!()).rejects.toThrow(/cannot be run again/);
    const seen: unknown[] = [];
    model.setRerunner('compare', async (replay) => seen.push(replay));
    await old.rerun!();
    expect(seen).toEqual([{ n: 1 }]);
  });
});
