import * as vscode from 'vscode';
import type { ExistingFileDecision, ExistingFilePolicy, ExistingFileQuestion } from '../../transfer/downloader';
import { formatBytes } from '../../util/format';

/**
 * "The file exists: overwrite, skip or compare first?" asked once per file, with an "apply to the rest"
 * answer so a folder download does not ask a hundred times. Dismissing the question skips the file.
 */
export function askExistingFilePolicy(): ExistingFilePolicy {
  let always: ExistingFileDecision | undefined;
  return async (q: ExistingFileQuestion): Promise<ExistingFileDecision> => {
    if (q.compared) {
      if (always === 'compare') return 'skip';
      const why =
        q.differs === undefined
          ? vscode.l10n.t('could not be compared (the object has no CRC-64)')
          : vscode.l10n.t('differs from the object');
      const pick = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} {1}. Overwrite it?', vscode.workspace.asRelativePath(q.path), why),
        { modal: true },
        vscode.l10n.t('Overwrite'),
        vscode.l10n.t('Skip'),
      );
      return pick === vscode.l10n.t('Overwrite') ? 'overwrite' : 'skip';
    }
    if (always) return always;
    type Item = vscode.QuickPickItem & { decision: ExistingFileDecision; all?: boolean };
    const items: Item[] = [
      {
        label: vscode.l10n.t('Compare first'),
        description: vscode.l10n.t('keep it if it is identical, ask again if not'),
        decision: 'compare',
      },
      { label: vscode.l10n.t('Overwrite'), decision: 'overwrite' },
      { label: vscode.l10n.t('Skip'), decision: 'skip' },
      {
        label: vscode.l10n.t('Compare all'),
        description: vscode.l10n.t('for this and the remaining files; different files are skipped'),
        decision: 'compare',
        all: true,
      },
      {
        label: vscode.l10n.t('Overwrite all'),
        description: vscode.l10n.t('for this and the remaining files'),
        decision: 'overwrite',
        all: true,
      },
      { label: vscode.l10n.t('Skip all'), description: vscode.l10n.t('for this and the remaining files'), decision: 'skip', all: true },
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t(
        '{0} exists ({1} here, {2} in the bucket)',
        vscode.workspace.asRelativePath(q.path),
        formatBytes(q.localSize),
        formatBytes(q.remoteSize),
      ),
      ignoreFocusOut: true,
    });
    if (!pick) return 'skip';
    if (pick.all) always = pick.decision;
    return pick.decision;
  };
}

/** After a cancelled multipart upload: keep it to resume later, or abort it so no parts are left behind. */
export async function askKeepOrAbort(what: string): Promise<'keep' | 'abort'> {
  const pick = await vscode.window.showWarningMessage(
    vscode.l10n.t('Upload of {0} paused. Keep the uploaded parts to resume later, or abort and remove them?', what),
    vscode.l10n.t('Keep for Resume'),
    vscode.l10n.t('Abort Upload'),
  );
  return pick === vscode.l10n.t('Abort Upload') ? 'abort' : 'keep';
}
