import { nodeOf, type BucketsFeature } from '../bucketsFeature';

/** `bucketIntegrity.refresh`: list everything again (profiles, buckets, open folders). */
export function refreshAll(feature: BucketsFeature): void {
  feature.tree.refresh();
  feature.refreshed.fire(undefined);
}

/** `bucketIntegrity.refreshNode`: list one profile, bucket or folder again (an error node retries its parent). */
export function refreshNode(feature: BucketsFeature, arg: unknown): void {
  const node = nodeOf(feature, arg);
  if (!node) return refreshAll(feature);
  const target = node.kind === 'error' || node.kind === 'loadMore' ? node.parent : node;
  feature.tree.refresh(target);
  feature.refreshed.fire(target);
}
