import type * as vscode from 'vscode';
import type { RemoteLocation } from './remoteUri';

/**
 * What features other than the Buckets view need from it, so they depend on this and not on the tree:
 * the selected node (a command argument when a command runs without one) and the places refreshed (so
 * what was compared below them can be re-checked).
 */
/** A tree item as the editor shows it: what a test or another extension may read of it. */
export interface TreeItemSnapshot {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  command?: vscode.Command;
}

export interface BucketsView {
  /** The first selected node, if any. */
  selection(): unknown;
  /** The tooltip of a listed place as hovering shows it; undefined when the tree has not listed it. */
  tooltipOf(place: RemoteLocation): Promise<string | undefined>;
  /** The items shown below a listed place (an object's versions, a folder's entries), as the editor gets them. */
  childrenOf?(place: RemoteLocation): Promise<TreeItemSnapshot[] | undefined>;
  /** Forget what was read of a listed object (its HEAD) and repaint it: its state changed (a restore). */
  forgetFacts(place: RemoteLocation): void;
  /** A profile, bucket, folder or object the user refreshed; undefined for the whole view. */
  readonly onDidRefresh: vscode.Event<RemoteLocation | undefined>;
}
