import * as vscode from 'vscode';
import { MiB } from '../../transfer/planner';
import { DEFAULT_CONCURRENCY, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_RETRIES, DEFAULT_PART_SIZE } from '../../transfer/upload';

/** The `bucketIntegrity.transfer.*` settings, in bytes, clamped to the documented ranges. */
export interface TransferSettings {
  partSize: number;
  multipartThreshold: number;
  concurrency: number;
  partRetries: number;
}

function int(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : fallback;
  return Math.min(max, Math.max(min, n));
}

export function readTransferSettings(): TransferSettings {
  const c = vscode.workspace.getConfiguration('bucketIntegrity.transfer');
  return {
    partSize: int(c.get('partSizeMiB'), DEFAULT_PART_SIZE / MiB, 1, 5120) * MiB,
    multipartThreshold: int(c.get('multipartThresholdMiB'), DEFAULT_MULTIPART_THRESHOLD / MiB, 1, 5120) * MiB,
    concurrency: int(c.get('concurrency'), DEFAULT_CONCURRENCY, 1, 32),
    partRetries: int(c.get('partRetries'), DEFAULT_PART_RETRIES, 0, 10),
  };
}
