import { RESTORE_TIERS, type RestoreTier } from '../storage/objectState';
import type { ObjectStore } from '../storage/types';
import { restoreEventText, restoringStore, type RestorePolicy } from '../transfer/restore/restoringStore';
import { type FlagSpec, type ParsedArgs, stringFlag } from './args';
import { type CliIo, UsageError } from './io';
import * as l10n from '@vscode/l10n';

/** `--restore` and its options, for the commands that read objects' bytes (download, cp). */

export const RESTORE_FLAGS: FlagSpec = {
  restore: { type: 'boolean' },
  'restore-tier': { type: 'string' },
  'restore-days': { type: 'string' },
  'restore-poll': { type: 'string' },
};

/** The restore options of `--help`, in the run's language. */
export function restoreUsage(): string {
  return l10n.t(`  --restore                  restore archived objects (ARCHIVE, DEEP_ARCHIVE, Archive, ColdArchive…)
                             first, wait until each is readable, then continue; without it such an
                             object fails with a message saying so
  --restore-tier Expedited|Standard|Bulk
                             how fast the service restores (default Standard; faster costs more)
  --restore-days <n>         how long the restored copy stays readable (default 1)
  --restore-poll <seconds>   how often a running restore is checked (default 30)`);
}

/** The restore policy the flags ask for, or undefined without `--restore`. */
export function restorePolicyFromArgs(args: ParsedArgs, io: CliIo): RestorePolicy | undefined {
  const tier = stringFlag(args, 'restore-tier');
  const days = stringFlag(args, 'restore-days');
  const poll = stringFlag(args, 'restore-poll');
  if (args.flags.restore !== true) {
    const stray = [tier && '--restore-tier', days && '--restore-days', poll && '--restore-poll'].find(Boolean);
    if (stray) throw new UsageError(l10n.t('{0} needs --restore', stray));
    return undefined;
  }
  if (tier !== undefined && !RESTORE_TIERS.includes(tier as RestoreTier)) {
    throw new UsageError(l10n.t('--restore-tier must be {0}, got "{1}"', RESTORE_TIERS.join(', '), tier));
  }
  const dayCount = days === undefined ? 1 : Number(days);
  if (!Number.isInteger(dayCount) || dayCount < 1 || dayCount > 365)
    throw new UsageError(l10n.t('--restore-days must be a whole number from 1 to 365, got "{0}"', days ?? ''));
  const pollSeconds = poll === undefined ? 30 : Number(poll);
  if (!Number.isFinite(pollSeconds) || pollSeconds <= 0)
    throw new UsageError(l10n.t('--restore-poll must be a number of seconds above 0, got "{0}"', poll ?? ''));
  return {
    request: { days: dayCount, tier: (tier as RestoreTier | undefined) ?? 'Standard' },
    pollMs: Math.round(pollSeconds * 1000),
    signal: io.signal,
    onEvent: (e) => io.stderr(`${e.key}: ${restoreEventText(e)}\n`),
  };
}

/** The store, restoring archived objects first when the flags ask for it. */
export function withRestore<S extends ObjectStore>(store: S, policy: RestorePolicy | undefined): S {
  return policy ? restoringStore(store, policy) : store;
}
