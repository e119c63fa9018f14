import { isVersionLister } from '../../storage/capabilities';
import type { ObjectStore } from '../../storage/types';
import { allVersions, versionsOfKey } from '../../storage/versions';
import type { TreeSource } from './treeNodes';

/** The tree's versions: a bucket is versioned when its versioning is Enabled or Suspended (versions remain). */
export function versionsSource(services: {
  storeFor(profile: string): Promise<ObjectStore>;
}): Pick<TreeSource, 'isVersioned' | 'versionsOf' | 'versionsUnder'> {
  return {
    isVersioned: async (profile, bucket, signal) => {
      const store = await services.storeFor(profile);
      return isVersionLister(store) && (await store.getVersioning(bucket, { signal })) !== 'Off';
    },
    versionsOf: async (profile, bucket, key, signal) => {
      const store = await services.storeFor(profile);
      return isVersionLister(store) ? versionsOfKey(store, bucket, key, { signal }) : [];
    },
    versionsUnder: async function* (profile, bucket, prefix, signal) {
      const store = await services.storeFor(profile);
      if (isVersionLister(store)) yield* allVersions(store, bucket, prefix, { signal });
    },
  };
}
