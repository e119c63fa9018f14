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
      const why = q.differs === undefined ? 'could not be compared (the object has no CRC-64)' : 'differs from the object';
      const pick = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(q.path)} ${why}. Overwrite it?`,
        { modal: true },
        'Overwrite',
        'Skip',
      );
      return pick === 'Overwrite' ? 'overwrite' : 'skip';
    }
    if (always) return always;
    type Item = vscode.QuickPickItem & { decision: ExistingFileDecision; all?: boolean };
    const items: Item[] = [
      { label: 'Compare first', description: 'keep it if it is identical, ask again if not', decision: 'compare' },
      { label: 'Overwrite', decision: 'overwrite' },
      { label: 'Skip', decision: 'skip' },
      { label: 'Compare all', description: 'for this and the remaining files; different files are skipped', decision: 'compare', all: true },
      { label: 'Overwrite all', description: 'for this and the remaining files', decision: 'overwrite', all: true },
      { label: 'Skip all', description: 'for this and the remaining files', decision: 'skip', all: true },
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: `${vscode.workspace.asRelativePath(q.path)} exists (${formatBytes(q.localSize)} here, ${formatBytes(q.remoteSize)} in the bucket)`,
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
    `Upload of ${what} paused. Keep the uploaded parts to resume later, or abort and remove them?`,
    'Keep for Resume',
    'Abort Upload',
  );
  return pick === 'Abort Upload' ? 'abort' : 'keep';
}
