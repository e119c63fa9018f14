import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { VERDICT_LABEL, VERDICT_SYMBOL, VERDICTS, type Verdict } from '../../integrity/verdict';
import type { CommandId } from '../commandIds';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import { firstWorkspaceFolder } from '../shared/mappingSettings';
import type { ResultRun, ResultsModel } from '../../integrity/results';
import { persistResults } from './persist';
import { RESULTS_VIEW_ID, ResultsTree, type ResultsNode } from './view';

/** What the view's commands take: a node of the view, or `{ run: id }` (tests, other commands); the newest run by default. */
function runOf(model: ResultsModel, arg: unknown): ResultRun | undefined {
  const node = arg as (Partial<ResultsNode> & { run?: unknown }) | undefined;
  if (node && typeof node.run === 'number') return model.get(node.run);
  if (node && typeof node.run === 'object' && node.run !== null) return model.get((node.run as ResultRun).id);
  return model.runs()[0];
}

/**
 * The Results view: the last compare, verify and copy runs grouped by verdict, with Re-run, Filter by
 * Outcome, Export Report and Clear. Resolves to the tree so tests can read what it shows.
 */
export function registerResults(context: vscode.ExtensionContext, services: Services): ResultsTree {
  const log = services.logger('results');
  const model = services.results;
  const tree = new ResultsTree(model);
  const view = vscode.window.createTreeView(RESULTS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  // The runs of the last window come back after a reload (read in the background, not in activation).
  context.subscriptions.push(view, persistResults(context, model, log));
  const command = (id: CommandId, run: (...args: unknown[]) => unknown): void => registerCommand(context, log, id, run);

  command('bucketIntegrity.rerunResults', async (arg) => {
    const run = runOf(model, arg);
    if (!run?.rerun) {
      void vscode.window.showInformationMessage(
        run ? vscode.l10n.t('{0} cannot be run again from here.', run.title) : vscode.l10n.t('No run to repeat yet.'),
      );
      return undefined;
    }
    return run.rerun();
  });

  command('bucketIntegrity.filterResults', async (arg) => {
    let picked: Verdict[] | undefined = Array.isArray((arg as { outcomes?: unknown })?.outcomes)
      ? (arg as { outcomes: Verdict[] }).outcomes
      : undefined;
    if (!picked) {
      const items = VERDICTS.map((v) => ({
        label: `${VERDICT_SYMBOL[v]} ${VERDICT_LABEL[v]}`,
        verdict: v,
        picked: !model.filter || model.filter.has(v),
      }));
      const chosen = await vscode.window.showQuickPick(items, { canPickMany: true, title: vscode.l10n.t('Show results that…') });
      if (!chosen) return undefined;
      picked = chosen.map((c) => c.verdict);
    }
    model.setFilter(picked);
    view.description = model.filter ? [...model.filter].map((v) => VERDICT_SYMBOL[v]).join(' ') : undefined;
    return [...(model.filter ?? VERDICTS)];
  });

  command('bucketIntegrity.exportResults', async (arg) => {
    const run = runOf(model, arg);
    if (!run) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Run a compare, a verify or a copy first; its report can then be exported.'));
      return undefined;
    }
    const given = (arg ?? {}) as { file?: unknown; format?: unknown };
    let file = given.file;
    if (typeof file !== 'string') {
      const base = firstWorkspaceFolder();
      // CSV and JSON for runs that have their results (compare, verify), the text report for all.
      const ext = run.exportTo && (given.format === 'csv' || given.format === 'json') ? given.format : 'txt';
      const name = `${run.kind}-${run.at.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${ext}`;
      const filters: Record<string, string[]> =
        ext === 'csv'
          ? { CSV: ['csv'] }
          : ext === 'json'
            ? { JSON: ['json'] }
            : run.exportTo
              ? { Text: ['txt'], CSV: ['csv'], JSON: ['json'] }
              : { Text: ['txt'] };
      const picked = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export Report'),
        ...(base ? { defaultUri: vscode.Uri.joinPath(base, name) } : {}),
        filters,
      });
      if (!picked) return undefined;
      file = picked.fsPath;
    }
    const out = file as string;
    if (run.exportTo && /\.(csv|json)$/i.test(out)) await run.exportTo(out);
    else await writeFile(out, run.report, 'utf8');
    log.info(`Report of "${run.title}" written to ${out}.`);
    return out;
  });

  command('bucketIntegrity.clearResults', () => model.clear());
  return tree;
}
