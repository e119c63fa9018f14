import * as vscode from 'vscode';
import type { MenuArg } from '../commandArgs';
import { sameLocation, type LocationIdentity } from '../../storage/locationIdentity';
import { remoteTargetOf, type RemoteTarget } from '../shared/commandArgs';
import { droppedLocalPaths, planDroppedUploads, type DropPlace } from './dropUpload';
import { runCommand } from '../commands';

/** The Buckets view's own drag data (VS Code's `application/vnd.code.tree.<view id in lower case>`). */
const TREE_MIME = 'application/vnd.code.tree.bucketintegrity.buckets';
/** Files dragged from the Explorer or the desktop. */
const URI_LIST_MIME = 'text/uri-list';

/**
 * Drag and drop in the Buckets view: objects dropped on a bucket or folder (or an object, meaning its
 * folder) of any profile are moved or copied there, verified, through `bucketIntegrity.moveObject` /
 * `bucketIntegrity.copyObject` (server-side within one cloud and account, a streamed migration onto
 * another). Workspace files and folders dropped there are uploaded, verified,
 * through `bucketIntegrity.uploadHere`. Nodes are read with the shared argument reader, so any node type fits.
 */
export class BucketsDragAndDrop<Node> implements vscode.TreeDragAndDropController<Node> {
  readonly dragMimeTypes = [TREE_MIME];
  readonly dropMimeTypes = [TREE_MIME, URI_LIST_MIME];

  /** `identify`: an object's canonical identity in a profile (two profiles may reach one service), if known. */
  constructor(private readonly identify?: (profile: string, bucket: string, key: string) => Promise<LocationIdentity | undefined>) {}

  handleDrag(nodes: readonly Node[], data: vscode.DataTransfer): void {
    const objects = nodes.map((n) => remoteTargetOf(n)).filter((t): t is RemoteTarget => !!t && !t.isPrefix && t.key !== '');
    if (objects.length > 0) data.set(TREE_MIME, new vscode.DataTransferItem(objects));
  }

  async handleDrop(node: Node | undefined, data: vscode.DataTransfer): Promise<void> {
    const place = remoteTargetOf(node);
    if (!place) return;
    // Dropped on an object: into the folder it is in.
    const prefix = place.isPrefix ? place.key : place.key.slice(0, place.key.lastIndexOf('/') + 1);
    const dragged = data.get(TREE_MIME)?.value as RemoteTarget[] | undefined;
    if (dragged?.length) return this.dropObjects(dragged, place, prefix);
    const uriList = await data.get(URI_LIST_MIME)?.asString();
    if (uriList) await this.dropFiles(uriList, { profile: place.profile, bucket: place.bucket, prefix }, node);
  }

  private async dropFiles(uriList: string, place: DropPlace, node: Node | undefined): Promise<void> {
    const items = await planDroppedUploads(droppedLocalPaths(uriList), place);
    if (items.length === 0) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Only files and folders on disk can be dropped on a bucket or folder to upload them.'),
      );
      return;
    }
    // The Buckets tree's own node (a menu argument).
    await runCommand('bucketIntegrity.uploadHere', node as MenuArg | undefined, items);
  }

  /** Dropped where it already is: the same profile and name, or the same object through another profile. */
  private async inPlace(o: RemoteTarget, place: RemoteTarget, key: string): Promise<boolean> {
    if (o.profile === place.profile && o.bucket === place.bucket && o.key === key) return true;
    const [a, b] = await Promise.all([this.identify?.(o.profile, o.bucket, o.key), this.identify?.(place.profile, place.bucket, key)]);
    return !!a && !!b && sameLocation(a, b);
  }

  private async dropObjects(objects: readonly RemoteTarget[], place: RemoteTarget, prefix: string): Promise<void> {
    const stays = await Promise.all(objects.map((o) => this.inPlace(o, place, prefix + nameOf(o.key))));
    const moves = objects.filter((_o, i) => !stays[i]);
    if (moves.length < objects.length) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('An object dropped on its own folder stays where it is: drop it on another folder, bucket or profile.'),
      );
    }
    if (moves.length === 0) return;
    const what = moves.length === 1 ? nameOf(moves[0].key) : `${moves.length} objects`;
    const pick = await vscode.window.showQuickPick([vscode.l10n.t('Move here'), vscode.l10n.t('Copy here')], {
      title: `${what} → ${place.profile}:${place.bucket}/${prefix}`,
    });
    if (!pick) return;
    const id = pick === vscode.l10n.t('Move here') ? 'bucketIntegrity.moveObject' : 'bucketIntegrity.copyObject';
    for (const o of moves) {
      await runCommand(
        id,
        { profile: o.profile, bucket: o.bucket, key: o.key },
        { destination: { profile: place.profile, bucket: place.bucket, key: prefix + nameOf(o.key) } },
      );
    }
  }
}

function nameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
