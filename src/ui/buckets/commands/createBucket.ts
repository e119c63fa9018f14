import * as vscode from 'vscode';
import { bucketNameProblem } from '../../../storage/bucketNames';
import { providerTraits } from '../../../storage/traits';
import { notify } from '../../shared/notify';
import { remoteArgOf } from '../../shared/commandArgs';
import type { BucketsFeature } from '../bucketsFeature';
import type { ProfileNode } from '../treeModel';

/**
 * `bucketIntegrity.createBucket` ("Create Bucket…") on a profile: asks a name, checked as it is typed
 * against the service's rules (COS `<name>-<APPID>`, the APPID offered from the profile's buckets; OSS
 * 3–63 lowercase letters, digits and hyphens), and creates the bucket in the profile's region. `name`
 * skips the prompt. Resolves to the bucket's name, or undefined when none was created.
 */
export async function createBucket(feature: BucketsFeature, arg?: unknown, name?: unknown): Promise<string | undefined> {
  // Any place names its profile: the profile node, a bucket, a profile name.
  const place = remoteArgOf(arg ?? feature.view?.selection[0]);
  const profileNode = place && feature.tree.model.find({ profile: place.profile });
  if (!profileNode || profileNode.kind !== 'profile') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick a profile in the Buckets view to create a bucket in it.'));
    return undefined;
  }
  const { provider, region, name: profile } = profileNode.profile;
  let value = typeof name === 'string' ? name : undefined;
  if (value === undefined) {
    const traits = providerTraits(provider);
    const appId = traits.bucketNameEndsWithAppId ? await knownAppId(feature, profileNode) : undefined;
    value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create Bucket in {0} ({1}, {2})', profile, provider.toUpperCase(), region),
      prompt: traits.bucketNameRule,
      value: appId ? `-${appId}` : '',
      valueSelection: [0, 0],
      validateInput: (v) => bucketNameProblem(provider, v.trim(), region),
    });
    if (value === undefined) return undefined;
  }
  const bucket = value.trim();
  const store = await feature.services.storeFor(profile);
  await store.createBucket(bucket);
  feature.log.info(`Created bucket ${bucket} in ${profile} (${region}).`);
  feature.tree.refresh(profileNode);
  feature.refreshed.fire(profileNode);
  void notify('info', vscode.l10n.t('Created bucket {0} in {1} ({2}).', bucket, profile, region), {
    reveal: { profile, bucket, key: '' },
    log: false,
  });
  return bucket;
}

/** The APPID the profile's listed COS buckets end with, when they agree on one. */
async function knownAppId(feature: BucketsFeature, node: ProfileNode): Promise<string | undefined> {
  const children = await feature.tree.model.children(node).catch(() => []);
  const ids = new Set(
    children.flatMap((c) => (c.kind === 'bucket' ? [/-(\d+)$/.exec(c.location.bucket)?.[1]].filter((x): x is string => !!x) : [])),
  );
  return ids.size === 1 ? [...ids][0] : undefined;
}
