import * as l10n from '@vscode/l10n';

/**
 * The one verdict on a (local file, object) pair, shared by Compare, Verify, the badges, the reports and
 * the exports. Words and symbols follow `rclone check --combined`: `=` match, `*` differ, `+` only in
 * the source (the local side, or the first remote), `-` only in the destination (the bucket, or the
 * second remote), `!` error. rclone has no symbol for an object that cannot be checked because it was
 * stored without a CRC-64 (it would fall back to another hash or to sizes): that is `?` here.
 */

export type Verdict = 'match' | 'differ' | 'only-local' | 'only-remote' | 'no-crc' | 'error';

/** Report order: what matched first, then what did not, worst first. */
export const VERDICTS: readonly Verdict[] = ['match', 'differ', 'only-local', 'only-remote', 'no-crc', 'error'];

/** The `--combined` line prefix of each verdict. */
export const VERDICT_SYMBOL: Readonly<Record<Verdict, string>> = {
  match: '=',
  differ: '*',
  'only-local': '+',
  'only-remote': '-',
  'no-crc': '?',
  error: '!',
};

/** How a report names each verdict next to its count. */
export const VERDICT_LABEL: Readonly<Record<Verdict, string>> = {
  // Getters: the words are looked up in the run's language when read, not when this module loads.
  get match() {
    return l10n.t('match');
  },
  get differ() {
    return l10n.t('differ (sizes or CRC-64)');
  },
  get 'only-local'() {
    return l10n.t('only local (not in the bucket)');
  },
  get 'only-remote'() {
    return l10n.t('only in the bucket (no local file)');
  },
  get 'no-crc'() {
    return l10n.t('no CRC-64 stored (cannot be checked)');
  },
  get error() {
    return l10n.t('error');
  },
};

/** The words of a summary line: "3 differ, 1 only local, …". */
export const VERDICT_SHORT: Readonly<Record<Verdict, string>> = {
  get match() {
    return l10n.t('match');
  },
  get differ() {
    return l10n.t('differ');
  },
  get 'only-local'() {
    return l10n.t('only local');
  },
  get 'only-remote'() {
    return l10n.t('only in the bucket');
  },
  get 'no-crc'() {
    return l10n.t('without CRC-64');
  },
  get error() {
    return l10n.t('error');
  },
};

/** Why, in a few words (the `detail` of a result). */
export const DETAIL = {
  get onlyLocal() {
    return l10n.t('no such object in the bucket');
  },
  get onlyRemote() {
    return l10n.t('no local file');
  },
  get neither() {
    return l10n.t('neither the file nor the object exists');
  },
  get noCrc() {
    return l10n.t('the object was stored without a CRC-64');
  },
  get crcDiffers() {
    return l10n.t('CRC-64 differs');
  },
  get notHashed() {
    return l10n.t('the file was not hashed');
  },
  sizes: (local: number, remote: number): string => l10n.t('sizes differ (local {0}, remote {1} bytes)', local, remote),
  silentChange: (previous: string, now: string | undefined): string =>
    l10n.t('CRC-64 changed from {0} to {1} while the ETag and size stayed the same', previous, String(now)),
} as const;

/** One side of a pair as far as it is known: size, and the CRC-64 (unsigned decimal) when there is one. */
export interface Side {
  size: number;
  crc64?: string;
}

export interface RemoteSide extends Side {
  /** The CRC-64 the record held for the same ETag and size before: the content changed silently. */
  previousCrc64?: string;
}

/**
 * What is known of a pair. `against: 'record'` judges an object without a local side (Verify against
 * the CRC record): it differs only when its CRC-64 changed while its ETag did not.
 */
export interface Pair {
  local?: Side;
  remote?: RemoteSide;
  /** The pair could not be read (a HEAD, a stat or a hash failed). */
  error?: string;
  against?: 'local' | 'record';
}

export interface Judgement {
  verdict: Verdict;
  detail?: string;
}

/**
 * The verdict on a pair. Order: an error; a side that is missing; sizes (cheap, settle a difference
 * without hashing); an object without a CRC-64 (cannot be checked); then the CRC-64s.
 */
export function judge(pair: Pair): Judgement {
  const { local, remote } = pair;
  if (pair.error !== undefined) return { verdict: 'error', detail: pair.error };
  if (pair.against === 'record') {
    if (!remote) return { verdict: 'error', detail: DETAIL.neither };
    if (remote.previousCrc64) return { verdict: 'differ', detail: DETAIL.silentChange(remote.previousCrc64, remote.crc64) };
    if (!remote.crc64) return { verdict: 'no-crc', detail: DETAIL.noCrc };
    return { verdict: 'match' };
  }
  if (!local && !remote) return { verdict: 'error', detail: DETAIL.neither };
  if (!remote) return { verdict: 'only-local', detail: DETAIL.onlyLocal };
  if (!local) return { verdict: 'only-remote', detail: DETAIL.onlyRemote };
  if (local.size !== remote.size) return { verdict: 'differ', detail: DETAIL.sizes(local.size, remote.size) };
  if (!remote.crc64) return { verdict: 'no-crc', detail: DETAIL.noCrc };
  if (local.crc64 === undefined) return { verdict: 'error', detail: DETAIL.notHashed };
  const note = remote.previousCrc64 ? DETAIL.silentChange(remote.previousCrc64, remote.crc64) : undefined;
  if (local.crc64 !== remote.crc64) return { verdict: 'differ', detail: note ? `${DETAIL.crcDiffers}; ${note}` : DETAIL.crcDiffers };
  return note ? { verdict: 'match', detail: note } : { verdict: 'match' };
}

export type VerdictCounts = Record<Verdict, number> & { total: number };

export function emptyCounts(): VerdictCounts {
  const counts = { total: 0 } as VerdictCounts;
  for (const v of VERDICTS) counts[v] = 0;
  return counts;
}

/** Counts per verdict, and the total. */
export function countVerdicts(results: Iterable<{ status: Verdict }>): VerdictCounts {
  const counts = emptyCounts();
  for (const r of results) {
    counts[r.status]++;
    counts.total++;
  }
  return counts;
}

/** Whether nothing differs, nothing is missing on either side, nothing failed and nothing was unchecked. */
export function allMatch(counts: VerdictCounts): boolean {
  return counts.match === counts.total;
}

/** "3 files: 2 match, 1 differ." — the one-line summary of a check. */
export function summaryLine(counts: VerdictCounts, noun: [string, string] = ['file', 'files']): string {
  const objects = noun[0] === 'object';
  if (counts.total === 0)
    return objects ? l10n.t('Nothing to compare: no objects on either side.') : l10n.t('Nothing to compare: no files on either side.');
  const n = counts.total;
  const what = objects ? (n === 1 ? l10n.t('1 object') : l10n.t('{0} objects', n)) : n === 1 ? l10n.t('1 file') : l10n.t('{0} files', n);
  if (allMatch(counts)) return l10n.t('{0}: all match.', what);
  const parts = VERDICTS.filter((v) => v !== 'match' && counts[v] > 0).map((v) => `${counts[v]} ${VERDICT_SHORT[v]}`);
  return l10n.t('{0}: {1} match, {2}.', what, counts.match, parts.join(l10n.t(', ')));
}

/** "3 = match, 1 * differ, 0 + only-local, …": the counts line of the CLI's compare and verify. */
export function countsLine(counts: VerdictCounts): string {
  return VERDICTS.map((v) => `${counts[v]} ${VERDICT_SYMBOL[v]} ${v}`).join(', ');
}
