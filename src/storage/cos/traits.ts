import { joinKeyPath } from '../shared/keyPath';
import type { ProviderTraits } from '../traitsTypes';

/**
 * Tencent Cloud COS. Inventory reports ("清单功能概述", https://cloud.tencent.com/document/product/436/33702;
 * the one-time inventory of POST Bucket inventory, https://www.tencentcloud.com/document/product/436/46869,
 * e.g. `cos_bucket_inventory/1250000000/examplebucket/disposable/20221120/manifest.json`):
 * `{prefix}/{appid}/{source bucket without -appid}/{inventory id}/{YYYYMMDD…}/manifest.json`. An empty
 * prefix leaves its folder out; the other shapes seen are tried after the documented one.
 */
export const COS_TRAITS: ProviderTraits = {
  kind: 'cos',
  regionExample: 'ap-guangzhou',
  bucketNameRule: 'Bucket name: <name>-<APPID>, lowercase letters, digits and hyphens',
  bucketNameEndsWithAppId: true,
  appendable: false,
  inventory: {
    runsOnce: true,
    writesWithRole: false,
    reportFolders({ sourceBucket, inventoryId, destinationPrefix }) {
      const m = /^(.*)-(\d+)$/.exec(sourceBucket);
      if (!m) return [`${joinKeyPath(destinationPrefix, sourceBucket, inventoryId)}/`];
      const [, name, appId] = m;
      return [
        `${joinKeyPath(destinationPrefix, appId, name, inventoryId)}/`,
        `${joinKeyPath(destinationPrefix, appId, sourceBucket, inventoryId)}/`,
        `${joinKeyPath(destinationPrefix, sourceBucket, inventoryId)}/`,
      ];
    },
  },
};
