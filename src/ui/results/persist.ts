import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { NewRun, ResultRun, ResultsModel } from '../../integrity/results';
import { fromStored, isStoredRun, reportFileName, toStored, type StoredRun } from '../../integrity/resultsStore';
import type { Logger } from '../logger';

/** The workspace-state key of the stored runs. */
export const RESULTS_STATE_KEY = 'bucketIntegrity.results';
/** Reports longer than this are stored cut (with a line saying so); the live run keeps the whole text. */
const STORED_REPORT_CHARS = 4 * 1024 * 1024;

/**
 * Keeps the Results view's runs across window reloads: restores the runs an earlier window stored (the
 * list in the workspace state, each report in `<workspace storage>/results/`), then stores the list again
 * whenever it changes (bounded by the model: the last `RUNS_KEPT` runs). Resolves once restored.
 */
export function persistResults(
  context: vscode.ExtensionContext,
  model: ResultsModel,
  log: Logger,
): { restored: Promise<void>; dispose(): void } {
  const folder = join((context.storageUri ?? context.globalStorageUri).fsPath, 'results');
  const files = new Map<ResultRun, string>();
  let saving = Promise.resolve();
  let shown: readonly ResultRun[] = [];

  const save = async (): Promise<void> => {
    const runs = model.runs();
    await mkdir(folder, { recursive: true });
    const stored: StoredRun[] = [];
    for (const run of runs) {
      let file = files.get(run);
      if (!file) {
        file = reportFileName(run);
        const text =
          run.report.length > STORED_REPORT_CHARS
            ? `${run.report.slice(0, STORED_REPORT_CHARS)}\n… (cut: the report of this run was longer than the part kept across reloads)\n`
            : run.report;
        await writeFile(join(folder, file), text, 'utf8');
        files.set(run, file);
      }
      stored.push(toStored(run, file));
    }
    await context.workspaceState.update(RESULTS_STATE_KEY, stored);
    // Reports of runs that fell off (or were cleared) go with them.
    const keep = new Set(stored.map((s) => s.reportFile));
    for (const name of await readdir(folder)) if (!keep.has(name)) await rm(join(folder, name), { force: true });
    for (const run of [...files.keys()]) if (!runs.includes(run)) files.delete(run);
  };

  const restored = (async () => {
    const data = context.workspaceState.get<unknown>(RESULTS_STATE_KEY);
    const list = Array.isArray(data) ? data.filter(isStoredRun) : [];
    const runs: { run: NewRun; file: string }[] = [];
    for (const s of list) {
      const report = await readFile(join(folder, s.reportFile), 'utf8').catch(() => undefined);
      const run = report === undefined ? undefined : fromStored(s, report);
      if (run) runs.push({ run, file: s.reportFile });
    }
    const before = new Set(model.runs());
    model.restore(runs.map((r) => r.run));
    // The restored runs keep their report files (matched by position among the runs added now).
    const added = model.runs().filter((r) => !before.has(r));
    added.forEach((run, i) => files.set(run, runs[i].file));
    shown = model.runs();
  })().catch((err: unknown) => log.warn(`Earlier results could not be read: ${err instanceof Error ? err.message : String(err)}`));

  const listener = model.onDidChange(() => {
    // The filter changes the view, not the runs: only a changed list is stored.
    const runs = model.runs();
    if (runs.length === shown.length && runs.every((r, i) => r === shown[i])) return;
    shown = runs;
    saving = saving
      .then(() => restored)
      .then(save)
      .catch((err: unknown) =>
        log.warn(`Results could not be stored for the next window: ${err instanceof Error ? err.message : String(err)}`),
      );
  });
  return { restored: restored.then(() => saving), dispose: () => listener.dispose() };
}
