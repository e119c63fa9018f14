import * as vscode from 'vscode';
import { remoteArgOf } from '../../shared/commandArgs';
import { VIEW_CONTAINER_COMMAND } from '../../shared/notify';
import type { BucketsFeature } from '../bucketsFeature';

/**
 * `bucketIntegrity.revealInBuckets`: shows a place (an object, a folder, a bucket: `{ profile, bucket, key }`,
 * a `bucket-integrity:` URI or a tree node) selected in the Buckets view, listing the folders on its way.
 * An object that is not there (any more) reveals the deepest folder on its way. Returns the id of the node
 * revealed.
 */
export async function revealInBuckets(feature: BucketsFeature, arg: unknown): Promise<string | undefined> {
  const place = remoteArgOf(arg);
  if (!place) return undefined;
  await vscode.commands.executeCommand(VIEW_CONTAINER_COMMAND);
  const node = await feature.tree.model.locate(place);
  if (!node || !feature.view) return undefined;
  await feature.view.reveal(node, { select: true, focus: true, expand: node.kind !== 'object' });
  return node.id;
}
