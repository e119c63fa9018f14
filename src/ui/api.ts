import type * as vscode from 'vscode';
import type { BadgeDecorationProvider } from './decorations/badgeDecorations';
import type { BucketsView } from './shared/bucketsView';
import { parseRemotePath, REMOTE_SCHEME } from './shared/remoteUri';

/**
 * What `activate` returns (`vscode.extensions.getExtension('bucket-integrity.bucket-integrity').exports`):
 * read-only access to what the extension shows, for other extensions and for tests in the extension host.
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
}

/** The API over the registered decoration provider, so callers see what the editor sees. */
export function createApi(decorations: BadgeDecorationProvider, buckets?: BucketsView): BucketIntegrityApi {
  return {
    decorationFor: (uri) => decorations.provideFileDecoration(uri),
    treeTooltipFor: async (uri) => {
      const place = uri.scheme === REMOTE_SCHEME ? parseRemotePath(uri.path.replace(/\/$/, '')) : undefined;
      return place && buckets ? buckets.tooltipOf(place) : undefined;
    },
  };
}
