import * as vscode from 'vscode';
import { parentBadgeKey, type BadgeStore } from '../../integrity/badgeStore';
import { parseRemotePath, REMOTE_SCHEME } from '../shared/remoteUri';
import { Disposable } from '../lifecycle';
import { BADGE_STYLES, badgeTooltip, type BadgeLook } from '../shared/badgeStyle';

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
    // A local folder's look also depends on which files below it have a result: repaint its ancestors too.
    this._register(badges.onDidChange((keys) => this.emitter.fire(urisForKeys(withLocalAncestors(keys)))));
  }

  /** A local file appeared or went away: the folders above it may turn "?" or back. */
  fileCreatedOrDeleted(uri: vscode.Uri): void {
    this.emitter.fire(urisForKeys(withLocalAncestors([uri.toString()])));
  }

  /** Repaint everything (mappings changed: which local files are "not compared" changed too). */
  refreshAll(): void {
    this.emitter.fire(undefined);
  }

  async provideFileDecoration(uri: vscode.Uri): Promise<vscode.FileDecoration | undefined> {
    if (uri.scheme !== REMOTE_SCHEME && uri.scheme !== 'file') return undefined;
    const key = uri.with({ query: '', fragment: '' }).toString();
    const status = this.badges.status(key);
    const entry = this.badges.get(key);
    let look: BadgeLook | undefined = status;
    if (!look && (await this.isComparable(uri))) look = 'not-compared';
    // A folder is "match" only when nothing below it is unchecked: a file never compared makes it "?".
    if (look === 'match' && !entry && uri.scheme === 'file' && (await this.uncheckedFileBelow(uri))) look = 'not-compared';
    if (!look) return undefined;
    const style = BADGE_STYLES[look];
    const decoration = new vscode.FileDecoration(
      style.letter,
      badgeTooltip(look, entry, entry ? undefined : this.badges.countsBelow(key)),
      new vscode.ThemeColor(style.colorId),
    );
    decoration.propagate = false;
    return decoration;
  }

  /**
   * Whether a mapped file below a local folder has no result. Stops at the first one; a folder too large
   * to walk (more than `UNCHECKED_WALK_LIMIT` entries) counts as holding one, so "match" is never a guess.
   */
  private async uncheckedFileBelow(folder: vscode.Uri): Promise<boolean> {
    const pending = [folder];
    let seen = 0;
    while (pending.length > 0) {
      const dir = pending.pop()!;
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(dir);
      } catch {
        continue;
      }
      for (const [name, type] of entries) {
        if (++seen > UNCHECKED_WALK_LIMIT) return true;
        const child = vscode.Uri.joinPath(dir, name);
        if (type & vscode.FileType.Directory) {
          // A folder compare does not follow links to folders: neither does this.
          if (!(type & vscode.FileType.SymbolicLink)) pending.push(child);
        } else if (type & vscode.FileType.File && this.isMapped(child) && !this.badges.get(child.toString())) return true;
      }
    }
    return false;
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

/** Entries a folder's "match" walks at most to find a file without a result. */
const UNCHECKED_WALK_LIMIT = 5000;

/** The keys, and for `file:` keys every folder above them. */
function withLocalAncestors(keys: readonly string[]): string[] {
  const out = new Set(keys);
  for (const key of keys) {
    if (!key.startsWith('file:')) continue;
    for (let parent = parentBadgeKey(key); parent !== undefined && !out.has(parent); parent = parentBadgeKey(parent)) out.add(parent);
  }
  return [...out];
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
