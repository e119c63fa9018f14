import type { ProviderKind } from './types';

/** Where an inventory's reports are, as its configuration says. */
export interface InventoryReportPlace {
  /** The bucket the inventory describes (for COS with its `-appid` suffix). */
  sourceBucket: string;
  inventoryId: string;
  /** The report prefix of the inventory's configuration ('' for none). */
  destinationPrefix: string;
}

/**
 * What a caller must know of a cloud before (or without) a store: one object per cloud, in its folder
 * (`cos/traits.ts`, `oss/traits.ts`). What a store can do is asked of the store (./capabilities.ts); a
 * test keeps the two in agreement.
 */
export interface ProviderTraits {
  kind: ProviderKind;
  /** A region name, as a hint in prompts. */
  regionExample: string;
  /** How its bucket names are written, as a prompt (src/storage/bucketNames.ts checks them). */
  bucketNameRule: string;
  /** Whether a bucket name ends with the account's `-<APPID>` (offered from the profile's buckets). */
  bucketNameEndsWithAppId: boolean;
  /** Whether its objects can be appended to (its stores are `Appendable`). */
  appendable: boolean;
  inventory: {
    /** Whether a report can be requested now (its stores are `InventoryRunner`). */
    runsOnce: boolean;
    /** Whether the service writes the reports with a role the user names (and the destination's account id). */
    writesWithRole: boolean;
    /**
     * The folders of the destination bucket that may hold the inventory's runs (one folder per run,
     * whose names sort by time), the documented one first.
     */
    reportFolders(place: InventoryReportPlace): string[];
  };
}
