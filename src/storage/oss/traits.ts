import { joinKeyPath } from '../shared/keyPath';
import type { ProviderTraits } from '../traitsTypes';

/**
 * Alibaba Cloud OSS. Inventory reports ("存储空间清单", https://help.aliyun.com/zh/oss/user-guide/bucket-inventory):
 * `{prefix}/{source bucket}/{inventory id}/{YYYY-MM-DDTHH-MMZ}/manifest.json`, data in `…/{id}/data/`; OSS
 * writes them with a RAM role of the destination's account.
 */
export const OSS_TRAITS: ProviderTraits = {
  kind: 'oss',
  regionExample: 'oss-cn-hangzhou',
  bucketNameRule: 'Bucket name: 3-63 lowercase letters, digits and hyphens',
  bucketNameEndsWithAppId: false,
  appendable: true,
  inventory: {
    runsOnce: false,
    writesWithRole: true,
    reportFolders: ({ sourceBucket, inventoryId, destinationPrefix }) => [`${joinKeyPath(destinationPrefix, sourceBucket, inventoryId)}/`],
  },
};
