/**
 * The integrity-retry budget: how many times, beyond the first, a transfer does again what came back
 * wrong. One policy for every transfer, so an upload, a migration and a download never disagree in other
 * words. Transient failures (5xx, resets, timeouts) are not counted here: the storage layer retries those
 * (`ConnectionOptions.maxRetries`).
 */
export interface IntegrityRetryBudget {
  /** A part (or single PUT) the service stored with another CRC-64 is sent again (uploads, migrations, copies). */
  partResends: number;
  /** A download whose CRC-64 differed, or whose body was cut short, is fetched again. */
  downloadRefetches: number;
  /** A migration's source read whose CRC-64 is not the source's is read (and sent) again. */
  sourceRereads: number;
  /** A migration's source stream that ended early or failed transiently is reopened where it stopped. */
  sourceReopens: number;
  /** An append that found the object grown by another writer settles the position again. */
  appendConflicts: number;
}

export const INTEGRITY_RETRIES: Readonly<IntegrityRetryBudget> = Object.freeze({
  partResends: 3,
  downloadRefetches: 2,
  sourceRereads: 1,
  sourceReopens: 5,
  appendConflicts: 3,
});

/** The budget for `kind`: what the caller gave, else the policy's. */
export function retryBudget(kind: keyof IntegrityRetryBudget, given: number | undefined): number {
  return given ?? INTEGRITY_RETRIES[kind];
}
