import type { BucketTreeModel, TreeNode } from './treeModel';

/**
 * The tree's node for a place, listing the profile, the bucket and each folder on the way when they were
 * not listed yet (their first pages), as expanding them would.
 */
export async function locateNode(
  model: BucketTreeModel,
  location: { profile: string; bucket?: string; key?: string },
): Promise<TreeNode | undefined> {
  const profile = model.find({ profile: location.profile });
  if (!profile || location.bucket === undefined) return profile;
  if (!model.find({ profile: location.profile, bucket: location.bucket, key: '' })) await model.children(profile);
  const key = location.key ?? '';
  let at = 0;
  for (let slash = key.indexOf('/'); ; slash = key.indexOf('/', at)) {
    const container = model.find({ profile: location.profile, bucket: location.bucket, key: key.slice(0, at) });
    if (!container) return undefined;
    if (model.find(location)) break;
    await model.children(container);
    if (slash < 0 || slash === key.length - 1) break;
    at = slash + 1;
  }
  return model.find(location);
}
