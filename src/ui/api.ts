import type * as vscode from 'vscode';
import type { BadgeDecorationProvider } from './decorations/badgeDecorations';
import type { BucketsView, TreeItemSnapshot } from './shared/bucketsView';
import type { ResultsTree } from './results/view';
import { chooseNoticeAction, recentNotices, type Notice } from './shared/notify';
import { parseRemotePath, REMOTE_SCHEME } from './shared/remoteUri';

/**
 * What `activate` returns (`vscode.extensions.getExtension('bucket-integrity.bucket-integrity').exports`):
 * access to what the extension shows (and to the buttons of its notices), for other extensions and for tests in the extension host.
 */
export interface BucketIntegrityApi {
  /**
   * The badge shown for a resource — an object or folder in the Buckets view
   * (`bucket-integrity:/<profile>/<bucket>/<key>`, folders and buckets with a trailing '/') or a `file:` URI
   * in the Explorer — exactly as the editor receives it; `undefined` when none is shown.
   */
  decorationFor(uri: vscode.Uri): Promise<vscode.FileDecoration | undefined>;
  /**
   * The tooltip of a listed node of the Buckets view (`bucket-integrity:` URI as for `decorationFor`) as
   * hovering shows it; `undefined` when the tree has not listed it.
   */
  treeTooltipFor(uri: vscode.Uri): Promise<string | undefined>;
  /** The items the Buckets view shows below a listed node (e.g. an object's versions); `undefined` when not listed. */
  treeChildrenOf(uri: vscode.Uri): Promise<TreeItemSnapshot[] | undefined>;
  /**
   * What the Results view shows: each run (newest first) with its title, its verdict groups and their
   * rows, each row with the command a click runs.
   */
  results(): ResultsSnapshot[];
  /**
   * The last notifications that name what was done and where (newest first): text, buttons (Reveal in
   * Buckets, Show Log, …) and the place Reveal in Buckets selects.
   */
  notices(): readonly Notice[];
  /** Runs a button of `notices()[index]` as a click on it does (e.g. Restore… of an archived object). */
  chooseNoticeAction(index: number, action: string): Promise<void>;
}

export interface ResultsSnapshot {
  id: number;
  kind: string;
  title: string;
  /** What Re-run runs again, as plain data kept across a window reload; absent when only this window can re-run it (or nothing can). */
  replay?: unknown;
  groups: { status: string; label: string; count: number; rows: { label: string; description?: string; command?: vscode.Command }[] }[];
}

/** The API over the registered decoration provider, so callers see what the editor sees. */
export function createApi(decorations: BadgeDecorationProvider, buckets?: BucketsView, results?: ResultsTree): BucketIntegrityApi {
  return {
    decorationFor: (uri) => decorations.provideFileDecoration(uri),
    treeTooltipFor: async (uri) => {
      const place = uri.scheme === REMOTE_SCHEME ? parseRemotePath(uri.path.replace(/\/$/, '')) : undefined;
      return place && buckets ? buckets.tooltipOf(place) : undefined;
    },
    treeChildrenOf: async (uri) => {
      const place = uri.scheme === REMOTE_SCHEME ? parseRemotePath(uri.path.replace(/\/$/, '')) : undefined;
      return place && buckets?.childrenOf ? buckets.childrenOf(place) : undefined;
    },
    results: () => (results ? snapshotOf(results) : []),
    notices: () => [...recentNotices()],
    chooseNoticeAction: (index, action) => chooseNoticeAction(index, action),
  };
}

function snapshotOf(tree: ResultsTree): ResultsSnapshot[] {
  return tree.getChildren().map((runNode) => {
    const run = runNode.type === 'run' ? runNode.run : undefined;
    return {
      id: run?.id ?? 0,
      kind: run?.kind ?? '',
      title: String(tree.getTreeItem(runNode).label),
      ...(run?.replay === undefined ? {} : { replay: run.replay }),
      groups: tree.getChildren(runNode).map((groupNode) => {
        const item = tree.getTreeItem(groupNode);
        return {
          status: groupNode.type === 'group' ? groupNode.group.status : '',
          label: String(item.label),
          count: groupNode.type === 'group' ? groupNode.group.count : 0,
          rows: tree.getChildren(groupNode).map((rowNode) => {
            const row = tree.getTreeItem(rowNode);
            return {
              label: String(row.label),
              ...(typeof row.description === 'string' ? { description: row.description } : {}),
              ...(row.command ? { command: row.command } : {}),
            };
          }),
        };
      }),
    };
  });
}
