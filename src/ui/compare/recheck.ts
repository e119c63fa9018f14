import * as vscode from 'vscode';
import { isCancelled } from '../../util/errors';
import { compareFile, type FileResult } from '../../integrity/compare';
import { jobForLocal } from './commands/compareWithRemote';
import { applyResults } from '../shared/badgeResults';
import { compareDeps, rememberPairs, type ComparedPair, type CompareFeature } from './compareFeature';
import { booleanSettingOf } from '../shared/settings';

/** At most this many pairs are re-checked after one refresh (each costs a HEAD, and a hash if changed). */
const MAX_RECHECK = 500;

/**
 * Keeps badges current without the user asking: a saved file inside a mapped folder is hashed again in
 * the background and its object HEADed; a refresh in the tree re-checks the pairs compared below it.
 * Failures are logged, never shown (the user did not ask for anything).
 */
export class BadgeRechecker implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly feature: CompareFeature) {}

  /** A file was saved: re-compare it (debounced, so a burst of saves costs one hash). */
  fileSaved(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    if (!booleanSettingOf('compare.rehashOnSave')) return;
    const id = uri.toString();
    clearTimeout(this.timers.get(id));
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        void this.recheckLocal(uri);
      }, 300),
    );
  }

  private async recheckLocal(uri: vscode.Uri): Promise<void> {
    const job = await jobForLocal(this.feature, uri);
    if (!job || job.kind !== 'file') return;
    await this.recheckPairs(
      [{ profile: job.profile, bucket: job.bucket, key: job.key, localPath: job.localPath }],
      vscode.l10n.t('save of {0}', job.localLabel),
    );
  }

  /** The tree refreshed a node (undefined: the whole view): re-check the pairs compared below it. */
  refreshed(remoteKeyPrefix?: string): void {
    const pairs = [...this.feature.pairs.entries()]
      .filter(
        ([key]) => remoteKeyPrefix === undefined || key === remoteKeyPrefix || key.startsWith(remoteKeyPrefix.replace(/\/$/, '') + '/'),
      )
      .map(([, pair]) => pair)
      .slice(0, MAX_RECHECK);
    if (pairs.length > 0) void this.recheckPairs(pairs, 'refresh');
  }

  private async recheckPairs(pairs: readonly ComparedPair[], why: string): Promise<void> {
    const id = pairs.length === 1 ? `${pairs[0].profile}/${pairs[0].bucket}/${pairs[0].key}` : `batch:${why}`;
    this.running.get(id)?.abort();
    const controller = new AbortController();
    this.running.set(id, controller);
    const results = new Map<string, { pair: ComparedPair; result: FileResult }>();
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking CRC-64') }, async () => {
        for (const pair of pairs) {
          if (controller.signal.aborted) return;
          try {
            const store = await this.feature.services.storeFor(pair.profile);
            const deps = await compareDeps(this.feature, pair.profile, pair.bucket, store, controller.signal);
            const result = await compareFile(deps, { localPath: pair.localPath, bucket: pair.bucket, key: pair.key });
            results.set(`${pair.profile}/${pair.bucket}/${pair.key}`, { pair, result });
          } catch (err) {
            if (isCancelled(err)) return;
            this.feature.log.warn(`Re-check of ${pair.bucket}/${pair.key} after ${why} failed: ${(err as Error).message}`);
          }
        }
      });
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
    }
    if (controller.signal.aborted) return;
    for (const { pair, result } of results.values()) {
      if (result.status === 'error') {
        this.feature.log.warn(`Re-check of ${pair.bucket}/${pair.key}: ${result.detail ?? 'error'}`);
        continue;
      }
      applyResults(this.feature.services.badges, pair, [result]);
      rememberPairs(this.feature, pair.profile, pair.bucket, [result]);
      if (result.status !== 'match') this.feature.log.info(`${result.status}  ${pair.bucket}/${pair.key} (after ${why})`);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}
