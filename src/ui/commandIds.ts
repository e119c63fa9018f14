/**
 * Every command id the extension contributes (package.json `contributes.commands`), as a type: registering or
 * running one under a wrong id is a compile error, and a test keeps this list, the registrations and
 * package.json equal. Editor-free.
 */
export const COMMAND_IDS = [
  'bucketIntegrity.computeCrc64',
  'bucketIntegrity.upload',
  'bucketIntegrity.uploadHere',
  'bucketIntegrity.appendToObject',
  'bucketIntegrity.download',
  'bucketIntegrity.downloadFolder',
  'bucketIntegrity.resumeUploads',
  'bucketIntegrity.addProfile',
  'bucketIntegrity.editProfile',
  'bucketIntegrity.removeProfile',
  'bucketIntegrity.setProfileKeys',
  'bucketIntegrity.mapFolder',
  'bucketIntegrity.refresh',
  'bucketIntegrity.refreshNode',
  'bucketIntegrity.loadMore',
  'bucketIntegrity.filterPrefix',
  'bucketIntegrity.clearFilter',
  'bucketIntegrity.copyKey',
  'bucketIntegrity.copyCrc64',
  'bucketIntegrity.compareWithRemote',
  'bucketIntegrity.compareWithLocal',
  'bucketIntegrity.computeRemoteCrc',
  'bucketIntegrity.enableCrcInventory',
  'bucketIntegrity.importInventory',
  'bucketIntegrity.verifyBucket',
  'bucketIntegrity.verifyPrefix',
  'bucketIntegrity.exportVerifyReport',
  'bucketIntegrity.openObject',
  'bucketIntegrity.openChanges',
  'bucketIntegrity.copyObject',
  'bucketIntegrity.moveObject',
  'bucketIntegrity.revealInBuckets',
  'bucketIntegrity.showLog',
  'bucketIntegrity.deleteObjects',
  'bucketIntegrity.createFolder',
  'bucketIntegrity.createBucket',
  'bucketIntegrity.copyUrl',
  'bucketIntegrity.copyPresignedUrl',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
