export { InventoryError, type InventoryErrorKind } from './errors';
export {
  decodeKey,
  importInventory,
  importJournal,
  type FailedFile,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
} from './import';
export { findLatestManifest, inventoryFolders, type FoundManifest, type InventoryLocation } from './layout';
export { columnIndex, parseManifest, type Manifest, type ManifestFile } from './manifest';
export { CRC_INVENTORY_FIELDS, enableCrcInventory, inventoryLocation, type EnableOptions } from './configure';
export { readInventoryVersions, versionKey, type InventoryVersion, type InventoryVersions } from './versions';
export { chooseInventory, CRC_INVENTORY_ID, reportLocation, type InventoryChoice } from './choice';
