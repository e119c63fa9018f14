import * as l10n from '@vscode/l10n';
import { formatCrc64 } from '../../crc';
import type { MigrateResult } from './types';

type Verdict = Pick<MigrateResult, 'sourceCrc64' | 'streamCrc64' | 'destinationCrc64' | 'verified' | 'reason'>;

/**
 * The verdict once the stream agrees with the source (when it has a CRC) and the destination agrees with
 * the stream (when it returned one): verified only when all three are known. Mismatches never get here;
 * they are errors.
 */
export function verdict(source: bigint | undefined, stream: bigint, destination: bigint | undefined): Verdict {
  const crcs = {
    ...(source !== undefined ? { sourceCrc64: formatCrc64(source) } : {}),
    streamCrc64: formatCrc64(stream),
    ...(destination !== undefined ? { destinationCrc64: formatCrc64(destination) } : {}),
  };
  if (source === undefined && destination === undefined) {
    return { ...crcs, verified: false, reason: l10n.t('copied, not verified: neither the source nor the destination has a CRC-64') };
  }
  if (source === undefined) {
    return {
      ...crcs,
      verified: false,
      reason: l10n.t('copied, not verified against the source (it has no CRC-64); the stream and the destination agree'),
    };
  }
  if (destination === undefined) {
    return { ...crcs, verified: false, reason: l10n.t('copied, not verified: the destination returned no CRC-64') };
  }
  return { ...crcs, verified: true };
}
