import * as vscode from 'vscode';
import { VERDICT_LABEL, VERDICT_SYMBOL, type Verdict } from '../../integrity/verdict';
import { runDescription, rowOpens, type OutcomeGroup, type ResultRow, type ResultRun, type ResultsModel } from '../../integrity/results';

export const RESULTS_VIEW_ID = 'bucketIntegrity.results';

/** A node of the Results view: a run, one verdict of a run, or one result. */
export type ResultsNode =
  | { type: 'run'; run: ResultRun }
  | { type: 'group'; run: ResultRun; group: OutcomeGroup }
  | { type: 'row'; run: ResultRun; row: ResultRow };

const ICON: Record<Verdict, string> = {
  match: 'pass',
  differ: 'diff',
  'only-local': 'diff-added',
  'only-remote': 'diff-removed',
  'no-crc': 'question',
  error: 'error',
};

const RUN_ICON = { compare: 'compare-changes', verify: 'verified', copy: 'copy', audit: 'arrow-swap' } as const;

/** The tree over the results model, like the Problems view: runs, then their verdicts, then the rows. */
export class ResultsTree implements vscode.TreeDataProvider<ResultsNode> {
  private readonly emitter = new vscode.EventEmitter<ResultsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly model: ResultsModel) {
    model.onDidChange(() => this.emitter.fire(undefined));
  }

  getChildren(node?: ResultsNode): ResultsNode[] {
    if (!node) return this.model.runs().map((run) => ({ type: 'run', run }));
    if (node.type === 'run') return this.model.groups(node.run).map((group) => ({ type: 'group', run: node.run, group }));
    if (node.type === 'group') return node.group.rows.map((row) => ({ type: 'row', run: node.run, row }));
    return [];
  }

  getTreeItem(node: ResultsNode): vscode.TreeItem {
    if (node.type === 'run') {
      const item = new vscode.TreeItem(
        node.run.title,
        node.run.id === this.model.runs()[0]?.id ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
      );
      item.id = `run-${node.run.id}`;
      item.description = `${node.run.at.toLocaleTimeString()} · ${runDescription(node.run)}`;
      item.iconPath = new vscode.ThemeIcon(RUN_ICON[node.run.kind]);
      item.contextValue = node.run.rerun ? 'resultRun rerunnable' : 'resultRun';
      item.tooltip = node.run.dropped
        ? vscode.l10n.t('{0}\n{1} more results are in the exported report.', runDescription(node.run), node.run.dropped)
        : runDescription(node.run);
      return item;
    }
    if (node.type === 'group') {
      const { group } = node;
      const item = new vscode.TreeItem(
        `${VERDICT_SYMBOL[group.status]} ${VERDICT_LABEL[group.status]}`,
        group.status === 'match' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
      );
      item.id = `run-${node.run.id}-${group.status}`;
      item.description = group.count > group.rows.length ? `${group.count} (${group.rows.length} shown)` : String(group.count);
      item.iconPath = new vscode.ThemeIcon(ICON[group.status]);
      item.contextValue = 'resultGroup';
      return item;
    }
    const { row } = node;
    const item = new vscode.TreeItem(row.path, vscode.TreeItemCollapsibleState.None);
    item.description = row.detail ?? '';
    item.tooltip = `${VERDICT_SYMBOL[row.status]} ${row.bucket}/${row.key}${row.localPath ? `\n${row.localPath}` : ''}${row.detail ? `\n${row.detail}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(ICON[row.status]);
    item.contextValue = 'resultRow';
    item.command = rowCommand(row);
    return item;
  }
}

/** The command a row runs when clicked (see `rowOpens`). */
export function rowCommand(row: ResultRow): vscode.Command {
  const object = { profile: row.profile, bucket: row.bucket, key: row.key };
  switch (rowOpens(row)) {
    case 'changes':
      return {
        title: vscode.l10n.t('Open Changes'),
        command: 'bucketIntegrity.openChanges',
        arguments: [{ ...object, localPath: row.localPath }],
      };
    case 'file':
      return { title: vscode.l10n.t('Open File'), command: 'vscode.open', arguments: [vscode.Uri.file(row.localPath!)] };
    case 'object':
      return { title: vscode.l10n.t('Open'), command: 'bucketIntegrity.openObject', arguments: [object] };
  }
}
