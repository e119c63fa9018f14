export { enableInventory, type EnableOutcome } from './enableInventory';
export { exportReport } from './exportReport';
export { importInventory } from './importInventory';
export { verifyPrefix, type VerifyOutcome } from './verifyPrefix';
export { isVersionsRun, rerunVersions, verifyVersions, type VersionsOutcome } from './verifyVersions';
