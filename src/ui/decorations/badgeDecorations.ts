import * as vscode from 'vscode';
import type { BadgeStore } from '../../integrity/badgeStore';
import { parseRemotePath, REMOTE_SCHEME } from '../shared/remoteUri';
import { Disposable } from '../lifecycle';
import { BADGE_STYLES, badgeTooltip, type BadgeLook } from './badgeStyle';

/**
 * Match / mismatch / no-CRC / not-compared badges, for remote objects in the bucket tree
 * (`bucket-integrity:` URIs) and for mapped files in the Explorer (`file:` URIs). Stateless: everything
 * comes from the badge store and the URI; change events carry only the URIs whose badge changed.
 */
export class BadgeDecorationProvider extends Disposable implements vscode.FileDecorationProvider {
  private readonly emitter = this._register(new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>());
  readonly onDidChangeFileDecorations = this.emitter.event;

  constructor(
    private readonly badges: BadgeStore,
    /** Whether a mapping covers a local file or folder. */
    private readonly isMapped: (uri: vscode.Uri) => boolean,
  ) {
    super();
    this._register(badges.onDidChange((keys) => this.emitter.fire(urisForKeys(keys))));
  }

  /** Repaint everything (mappings changed: which local files are "not compared" changed too). */
  refreshAll(): void {
    this.emitter.fire(undefined);
  }

  async provideFileDecoration(uri: vscode.Uri): Promise<vscode.FileDecoration | undefined> {
    if (uri.scheme !== REMOTE_SCHEME && uri.scheme !== 'file') return undefined;
    const key = uri.with({ query: '', fragment: '' }).toString();
    const status = this.badges.status(key);
    let look: BadgeLook | undefined = status;
    if (!look && (await this.isComparable(uri))) look = 'not-compared';
    if (!look) return undefined;
    const style = BADGE_STYLES[look];
    const entry = this.badges.get(key);
    const decoration = new vscode.FileDecoration(style.letter, badgeTooltip(look, entry, entry ? undefined : this.badges.countsBelow(key)), new vscode.ThemeColor(style.colorId));
    decoration.propagate = false;
    return decoration;
  }

  /** Objects in the tree, and files (not folders) that a mapping covers, can be compared. */
  private async isComparable(uri: vscode.Uri): Promise<boolean> {
    if (uri.scheme === REMOTE_SCHEME) {
      // Containers (profiles, buckets, folders) carry a trailing '/'; objects do not.
      if (uri.path.endsWith('/')) return false;
      const loc = parseRemotePath(uri.path);
      return !!loc?.bucket && !!loc.key;
    }
    if (uri.scheme !== 'file' || !this.isMapped(uri)) return false;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      return (stat.type & vscode.FileType.File) !== 0;
    } catch {
      return false;
    }
  }
}

/** Store keys → URIs to repaint. A remote folder is shown with a trailing '/', so both forms are fired. */
export function urisForKeys(keys: readonly string[]): vscode.Uri[] {
  const uris: vscode.Uri[] = [];
  for (const key of keys) {
    const uri = vscode.Uri.parse(key, true);
    uris.push(uri);
    if (uri.scheme === REMOTE_SCHEME) uris.push(uri.with({ path: uri.path + '/' }));
  }
  return uris;
}
