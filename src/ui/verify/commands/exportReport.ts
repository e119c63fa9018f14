import * as vscode from 'vscode';
import { verifyJournal } from '../../../integrity/verify/engine';
import { writeReport } from '../../../integrity/verify/report';
import { firstWorkspaceFolder } from '../../shared/mappingSettings';
import { notify } from '../../shared/notify';
import type { FinishedVerify, VerifyFeature } from '../verifyFeature';

const CSV = 'Export CSV…';
const JSON_EXPORT = 'Export JSON…';

/**
 * After a verify: its one-line result (a warning when something did not match) with the export offered,
 * Reveal in Buckets (the prefix verified) and Show Log.
 */
export function offerExport(feature: VerifyFeature, run: FinishedVerify, line: string, problems: boolean): void {
  const exportAs = (format: 'csv' | 'json') => (): Promise<unknown> =>
    exportReport(feature, { format }).catch((err: Error) => {
      feature.log.error(`Export failed: ${err.message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The report could not be written: {0}', err.message));
    });
  const { profile, bucket, prefix } = run.target;
  void notify(problems ? 'warning' : 'info', line, {
    actions: { [CSV]: exportAs('csv'), [JSON_EXPORT]: exportAs('json') },
    reveal: { profile, bucket, key: prefix },
  });
}

interface ExportArgs {
  /** Write here without asking. */
  file?: string;
  format?: 'csv' | 'json';
}

/**
 * `bucketIntegrity.exportVerifyReport`: the last verify's counts and every object that did not match,
 * as CSV or JSON (read from the record, so a run of millions is never in memory). Resolves to the file.
 */
export async function exportReport(feature: VerifyFeature, arg?: unknown): Promise<string | undefined> {
  const run = feature.last;
  if (!run) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Verify a bucket or prefix first; its report can then be exported.'));
    return undefined;
  }
  const given = (typeof arg === 'object' && arg !== null ? arg : {}) as ExportArgs;
  let file = given.file;
  if (!file) {
    const json = given.format === 'json';
    const name = `verify-${run.target.bucket}${run.target.prefix ? `-${run.target.prefix.replace(/\/+$/, '').replace(/[\\/:*?"<>|]+/g, '_')}` : ''}.${json ? 'json' : 'csv'}`;
    const base = firstWorkspaceFolder();
    const picked = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Verify Report'),
      ...(base ? { defaultUri: vscode.Uri.joinPath(base, name) } : {}),
      filters: json ? { JSON: ['json'] } : { CSV: ['csv'] },
    });
    if (!picked) return undefined;
    file = picked.fsPath;
  }
  const target = { remote: run.remote, ...(run.localDir ? { localDir: run.localDir } : {}), checkedAt: run.checkedAt };
  const out = file;
  await feature.services.record.use((record) => writeReport(out, target, run.summary, verifyJournal(record).issues(run.summary.runId)));
  feature.log.info(`Verify report of ${run.remote} written to ${out}.`);
  return out;
}
