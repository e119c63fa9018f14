import type * as vscode from 'vscode';
import type { RemoteLocation } from './remoteUri';

/**
 * What features other than the Buckets view need from it, so they depend on this and not on the tree:
 * the selected node (a command argument when a command runs without one) and the places refreshed (so
 * what was compared below them can be re-checked).
 */
export interface BucketsView {
  /** The first selected node, if any. */
  selection(): unknown;
  /** The tooltip of a listed place as hovering shows it; undefined when the tree has not listed it. */
  tooltipOf(place: RemoteLocation): Promise<string | undefined>;
  /** Forget what was read of a listed object (its HEAD) and repaint it: its state changed (a restore). */
  forgetFacts(place: RemoteLocation): void;
  /** A profile, bucket, folder or object the user refreshed; undefined for the whole view. */
  readonly onDidRefresh: vscode.Event<RemoteLocation | undefined>;
}
