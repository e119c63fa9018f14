import type * as vscode from 'vscode';
import type { BadgeDecorationProvider } from './decorations/badgeDecorations';

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
}

/** The API over the registered decoration provider, so callers see what the editor sees. */
export function createApi(decorations: BadgeDecorationProvider): BucketIntegrityApi {
  return {
    decorationFor: (uri) => decorations.provideFileDecoration(uri),
  };
}
