import { nodeOf, type BucketsFeature } from '../bucketsFeature';

/** `bucketIntegrity.loadMore`: the next page of a bucket or folder. Returns how many children are loaded. */
export async function loadMore(feature: BucketsFeature, arg: unknown): Promise<number> {
  const node = nodeOf(feature, arg);
  if (!node) return 0;
  const container = node.kind === 'loadMore' ? node.parent : node.kind === 'bucket' || node.kind === 'folder' ? node : undefined;
  if (!container) return 0;
  await feature.tree.model.loadMore(container);
  feature.tree.fire(container);
  return feature.tree.model.loadedEntries(container).length;
}
