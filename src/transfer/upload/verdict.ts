/**
 * The upload's verdict as a pure function of what is known: our CRC-64 of the local bytes, the service's
 * CRC-64 of the stored object (PUT's, or Complete's / HEAD's for a multipart upload), and which parts were
 * answered without a CRC. No I/O, so every case is unit-tested.
 */
import * as l10n from '@vscode/l10n';

export interface VerdictInput {
  /** Our CRC-64 of the whole file; absent when verification was switched off. */
  local?: bigint;
  /** The service's CRC-64 of the whole stored object, if it gave one. */
  remote?: bigint;
  /** Multipart only: parts whose answer carried no CRC-64 (so they were not checked one by one). */
  partsWithoutCrc?: readonly number[];
  /** Where the whole-object CRC comes from, for the wording: a single PUT or Complete. */
  via: 'put' | 'complete';
}

export type UploadVerdict =
  | { kind: 'verified'; notes: string[] }
  | { kind: 'not-verified'; reason: string; notes: string[] }
  /** The stored object is not the local file: the caller fails the upload and removes it. */
  | { kind: 'integrity-failure'; expected: bigint; actual: bigint };

function partList(parts: readonly number[]): string {
  return `part${parts.length > 1 ? 's' : ''} ${parts.join(', ')}`;
}

export function uploadVerdict(input: VerdictInput): UploadVerdict {
  const { local, remote, via } = input;
  const unchecked = [...(input.partsWithoutCrc ?? [])].sort((a, b) => a - b);
  if (local === undefined) return { kind: 'not-verified', reason: l10n.t('verification was switched off'), notes: [] };
  if (remote !== undefined && remote !== local) return { kind: 'integrity-failure', expected: local, actual: remote };
  if (remote === undefined) {
    if (via === 'put') return { kind: 'not-verified', reason: l10n.t('the service returned no CRC-64 for the upload'), notes: [] };
    const reason = unchecked.length
      ? `the service returned no CRC-64 for ${partList(unchecked)}, so it gave no whole-object CRC-64`
      : 'the service returned no whole-object CRC-64 on Complete';
    return { kind: 'not-verified', reason, notes: [] };
  }
  // The whole-object CRC is over every stored byte: when it equals ours, a part without its own CRC is covered.
  const notes = unchecked.length
    ? [
        `the service returned no CRC-64 for ${partList(unchecked)}; the whole-object CRC-64 matched, which covers ${unchecked.length > 1 ? 'them' : 'it'}`,
      ]
    : [];
  return { kind: 'verified', notes };
}
