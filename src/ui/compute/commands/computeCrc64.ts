import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, isCancelled } from '../../../util/errors';
import type { Services } from '../../services';
import { withNotificationProgress } from '../../shared/progress';
import { firstWorkspaceFolder } from '../../shared/mappingSettings';
import { formatBytes } from '../../../util/format';
import { ProgressMeter } from '../../../util/progress';
import type { TreeProgress } from '../../../crc/treeHash';
import { dedupeTargets, formatReport, type ComputeOutcome } from '../report';

const COPY = vscode.l10n.t('Copy CRC-64');

/**
 * `bucketIntegrity.computeCrc64`. From the Explorer: `(clicked, selected)` URIs (files or folders). From
 * the palette: the active editor's file, else a file picker. Tests and other commands may pass URIs or
 * paths (one, or an array). Resolves to the values, so callers can use them without reading the UI.
 */
export async function computeCrc64(services: Services, clicked?: unknown, selected?: unknown): Promise<ComputeOutcome | undefined> {
  let targets = pathsOf(clicked, selected);
  if (targets.length === 0) targets = await pickTargets();
  if (targets.length === 0) return undefined;
  targets = dedupeTargets(targets);

  const log = services.logger('compute');
  const singleFile = targets.length === 1 && (await isFile(targets[0]));
  const title = singleFile ? vscode.l10n.t('Computing CRC-64 of {0}', basename(targets[0])) : vscode.l10n.t('Computing CRC-64');
  const started = performance.now();

  const outcome = await withNotificationProgress(title, (signal, progress) =>
    hashTargets(services, targets, signal, progressReporter(progress)),
  ).then(
    (value) => value,
    (err: unknown) => {
      if (isCancelled(err)) {
        log.info('Cancelled.');
        return undefined;
      }
      throw err;
    },
  );
  if (!outcome) return undefined;

  const seconds = (performance.now() - started) / 1000;
  const bytes = outcome.files.reduce((sum, f) => sum + f.size, 0);
  const notes = outcome.notes ?? [];
  for (const note of notes) log.info(note);
  log.info(
    `${outcome.files.length} file(s), ${formatBytes(bytes)} in ${seconds.toFixed(2)} s` +
      `${outcome.errors.length ? vscode.l10n.t(', {0} failed', outcome.errors.length) : ''}${notes.length ? vscode.l10n.t(', {0} left out', notes.length) : ''}.`,
  );

  if (singleFile && outcome.files.length === 1) {
    const f = outcome.files[0];
    log.info(`${f.crc64}  ${f.path}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('CRC-64 of {0}: {1}', basename(f.path), f.crc64), COPY).then(async (pick) => {
      if (pick === COPY) {
        await vscode.env.clipboard.writeText(f.crc64);
        vscode.window.setStatusBarMessage(vscode.l10n.t('CRC-64 copied to the clipboard'), 3000);
      }
    });
    return outcome;
  }
  if (singleFile && outcome.errors.length === 1) {
    const e = outcome.errors[0];
    log.error(`${e.path}: ${e.message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not compute the CRC-64 of {0}: {1}', basename(e.path), e.message));
    return outcome;
  }

  const base = firstWorkspaceFolder()?.fsPath;
  const report = formatReport(outcome, { base, title: vscode.l10n.t('CRC-64 report') });
  for (const line of report.trimEnd().split('\n')) log.info(line);
  const doc = await vscode.workspace.openTextDocument({ content: report, language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { preview: false });
  if (outcome.errors.length > 0 || notes.length > 0) {
    const problems = [
      outcome.errors.length
        ? outcome.errors.length === 1
          ? vscode.l10n.t('{0} file could not be hashed', outcome.errors.length)
          : vscode.l10n.t('{0} files could not be hashed', outcome.errors.length)
        : '',
      notes.length ? vscode.l10n.t('{0} left out ({1})', notes.length, notes[0]) : '',
    ];
    void vscode.window.showWarningMessage(vscode.l10n.t('{0}; see the report.', problems.filter(Boolean).join(', ')));
  }
  return outcome;
}

async function hashTargets(
  services: Services,
  targets: readonly string[],
  signal: AbortSignal,
  onProgress: (progress: TreeProgress) => void,
): Promise<ComputeOutcome> {
  const { describeSkip } = require('../../../util/walk') as typeof import('../../../util/walk');
  const { isHashFailure } = require('../../../crc/pool') as typeof import('../../../crc/pool');
  const { hashTree } = require('../../../crc/treeHash') as typeof import('../../../crc/treeHash');
  const outcome: ComputeOutcome = { files: [], errors: [], notes: [] };
  // Files are hashed while the folders are still being walked (the CLI's `crc64` path).
  await hashTree(
    services.hashPool(),
    targets,
    (r) => {
      if (isHashFailure(r)) outcome.errors.push({ path: r.path, message: r.error.message });
      else outcome.files.push({ path: r.path, size: r.size, crc64: r.crc64.toString() });
    },
    {
      signal,
      cache: services.localCrcs(),
      onProgress,
      onError: (path, err) => outcome.errors.push({ path, message: err.message }),
      onSkip: (path, reason) => outcome.notes!.push(`skipped ${path}: ${describeSkip(reason)}`),
    },
  );
  if (signal.aborted) throw new CancelledError();
  return outcome;
}

/**
 * Adapts tree progress to the notification: at most ~4 updates a second. Sizes are learnt as files are
 * hashed, so the bar moves by files; while folders are still being read the count is "so far".
 */
function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>) {
  const meter = new ProgressMeter<TreeProgress>(
    (p) => ({ done: p.filesDone, total: p.found }),
    (p, pace) => {
      const count = p.found === 1 ? '' : vscode.l10n.t('{0} of {1}{2} files, ', p.files, p.found, p.walking ? '+' : '');
      progress.report({ increment: pace.increment * 100, message: `${count}${formatBytes(p.bytes)}` });
    },
  );
  return (p: TreeProgress): void => meter.update(p, !p.walking && p.files >= p.found);
}

/** Local paths from command arguments: URIs, paths, or arrays of either; non-file URIs are ignored. */
function pathsOf(clicked: unknown, selected: unknown): string[] {
  const one = (v: unknown): string | undefined => {
    if (v instanceof vscode.Uri) return v.scheme === 'file' ? v.fsPath : undefined;
    if (typeof v === 'string' && v) return v;
    // Tree items and other objects that carry a local `resourceUri`.
    if (typeof v === 'object' && v !== null && 'resourceUri' in v) return one((v as { resourceUri: unknown }).resourceUri);
    return undefined;
  };
  const many = (v: unknown): string[] => (Array.isArray(v) ? v.map(one).filter((p): p is string => !!p) : []);
  const fromSelection = many(selected);
  if (fromSelection.length > 0) return fromSelection;
  const fromClicked = Array.isArray(clicked) ? many(clicked) : [one(clicked)].filter((p): p is string => !!p);
  return fromClicked;
}

/** The palette: the active editor's file, or files chosen in a dialog. */
async function pickTargets(): Promise<string[]> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') return [active.fsPath];
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: true,
    defaultUri: firstWorkspaceFolder(),
    openLabel: vscode.l10n.t('Compute CRC-64'),
    title: vscode.l10n.t('Compute CRC-64 of files'),
  });
  return (picked ?? []).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
