import { MiB } from '../../transfer/planner';
import { numberSettingOf } from '../shared/settings';

/** The `bucketIntegrity.transfer.*` settings, in bytes (defaults and ranges: package.json, via ../shared/settings). */
export interface TransferSettings {
  partSize: number;
  multipartThreshold: number;
  concurrency: number;
  partRetries: number;
}

export function readTransferSettings(): TransferSettings {
  return {
    partSize: numberSettingOf('transfer.partSizeMiB') * MiB,
    multipartThreshold: numberSettingOf('transfer.multipartThresholdMiB') * MiB,
    concurrency: numberSettingOf('transfer.concurrency'),
    partRetries: numberSettingOf('transfer.partRetries'),
  };
}
