import { rm } from 'node:fs/promises';
import { ResultsModel } from '../integrity/results';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LocalCrcs } from '../crc/localCrcs';
import type { HashPool } from '../crc/pool';
import { BadgeStore } from '../integrity/badgeStore';
import { StorageError } from '../storage/errors';
import type { ObjectStore } from '../storage/types';
import { CheckpointStore } from '../transfer/checkpoint';
import { RESTRICTED_MODE_MESSAGE } from './commands';
import { Disposable } from './lifecycle';
import { componentLogger, createLogChannel, type Logger } from './logger';
import { connectionOptionsFor, missingKeysHint } from './shared/profileModel';
import { passKeysGate } from './profiles/keyBinding';
import { ProfileRegistry } from './profiles/profileRegistry';
import { openRecordLazily, RecordAccess, recordProblem } from './shared/recordAccess';
import { formatCount } from '../util/format';
import type { CrcRecord } from '../record/record';
import { numberSettingOf } from './shared/settings';

const INSECURE_ALLOWED = 'bucketIntegrity.insecureEndpointsAllowed';

/** In Restricted Mode no request with keys is sent (whatever asks for a store); hashing local files still works. */
function restrictedModeError(): StorageError {
  return new StorageError('credentials', RESTRICTED_MODE_MESSAGE);
}

/**
 * What every feature shares: the log, the badge store, the CRC engine and its cache, the profiles and
 * their object stores, and the upload checkpoints. Heavy parts (worker threads, the cloud SDKs) are
 * created on first use, so activation stays fast; all of it is released on deactivate.
 */
export class Services extends Disposable {
  /** The one output channel; lines are tagged `[component]` (see `logger()`). */
  readonly log: vscode.LogOutputChannel;
  /** Comparison results: the single source of truth for badges in the tree and the Explorer. */
  readonly badges = new BadgeStore();
  readonly profiles: ProfileRegistry;
  /** Resume checkpoints of multipart uploads, in the extension's global storage. */
  readonly checkpoints: CheckpointStore;
  /** The CRC record (one SQLite file in the global storage), opened on first use, closed on deactivate. */
  readonly record: RecordAccess;
  /** The last compare, verify and copy runs: what the Results view shows. */
  readonly results = new ResultsModel();

  private pool?: HashPool;
  private cache?: LocalCrcs;
  private readonly stores = new Map<string, Promise<ObjectStore>>();
  private readonly own: Logger;

  constructor(private readonly context: vscode.ExtensionContext) {
    super();
    this.log = this._register(createLogChannel());
    this.own = this.logger('services');
    const storage = context.globalStorageUri.fsPath;
    this.checkpoints = new CheckpointStore(join(storage, 'checkpoints'));
    this.record = this._register(new RecordAccess(join(storage, 'record.sqlite'), undefined, openShowingMove));
    this.profiles = this._register(new ProfileRegistry(context.secrets, this.logger('profiles')));

    // A profile whose settings or keys change gets a fresh client on next use.
    this._register(this.profiles.onDidChange((e) => e.names.forEach((name) => this.dropStore(name))));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('bucketIntegrity.hashWorkers')) this.resetPool();
      }),
    );
    this._register({ dispose: () => this.shutdown() });
  }

  /** A view of the log for one component: `[component] message`. */
  logger(component: string): Logger {
    return componentLogger(this.log, component);
  }

  /** The CRC-64 worker pool; its threads start on first use and are terminated on deactivate. */
  hashPool(): HashPool {
    if (this.isDisposed) throw new Error(vscode.l10n.t('Bucket Integrity is shutting down.'));
    if (!this.pool) {
      const { createHashPool, defaultWorkerPath } = require('../crc/pool') as typeof import('../crc/pool');
      const workers = numberSettingOf('hashWorkers');
      this.pool = createHashPool({
        workers: workers > 0 ? workers : undefined,
        workerPath: defaultWorkerPath(),
      });
      this.own.info(`CRC-64 pool ready (${this.pool.size} worker${this.pool.size === 1 ? '' : 's'}).`);
    }
    return this.pool;
  }

  /**
   * Remembered CRC-64s of local files (the record's local-files table, trusted only when they cannot be
   * stale), written as they are learnt. A record held by another window never fails a hash: values are
   * kept in memory meanwhile.
   */
  localCrcs(): LocalCrcs {
    if (!this.cache) {
      const { LocalCrcs: Crcs } = require('../crc/localCrcs') as typeof import('../crc/localCrcs');
      const { lentLocalFileStore } = require('../record/localFiles') as typeof import('../record/localFiles');
      const store = lentLocalFileStore(this.record, (err) =>
        this.own.warn(`CRC-64s of local files kept in memory, not the CRC record: ${recordProblem(err) ?? (err as Error).message}`),
      );
      this.cache = new Crcs(store);
      // The cache file of earlier versions: its values lack what the rule needs (ctime, device, ns).
      void rm(join(this.context.globalStorageUri.fsPath, 'crc-cache.json'), { force: true }).catch(() => undefined);
    }
    return this.cache;
  }

  /**
   * The object store of a profile, created on first use (the cloud SDK loads then) and kept until the
   * profile or its keys change. Rejects with a `StorageError` of kind `credentials` when it has no keys.
   */
  storeFor(profileName: string): Promise<ObjectStore> {
    let store = this.stores.get(profileName);
    if (!store) {
      store = this.createStore(profileName);
      this.stores.set(profileName, store);
      // A failed attempt is not remembered: the next call tries again (e.g. after keys were set).
      store.catch(() => {
        if (this.stores.get(profileName) === store) this.stores.delete(profileName);
      });
    }
    return store;
  }

  private async createStore(profileName: string): Promise<ObjectStore> {
    if (!vscode.workspace.isTrusted) throw restrictedModeError();
    const profile = this.profiles.get(profileName);
    if (!profile) {
      throw new StorageError(
        'invalid-request',
        vscode.l10n.t('There is no profile named "{0}".', profileName),
        vscode.l10n.t('Add it with "Bucket Integrity: Add Profile".'),
      );
    }
    const found = await this.profiles.credentials(profile);
    if (!found) {
      throw new StorageError('credentials', vscode.l10n.t('Profile "{0}" has no keys.', profile.name), missingKeysHint(profile));
    }
    const { allowInsecureEndpoint } = await passKeysGate(profile, found, {
      ask: async (message, detail, confirm) =>
        (await vscode.window.showWarningMessage(message, { modal: true, detail }, confirm)) === confirm,
      rebind: (name, to) => this.profiles.rebind(name, to),
      insecureAllowed: (endpoint) => this.insecureAllowed().includes(endpoint),
      allowInsecure: async (endpoint) => this.context.globalState.update(INSECURE_ALLOWED, [...this.insecureAllowed(), endpoint]),
      log: (line) => this.own.info(line),
    });
    const { createObjectStore } = require('../storage/index') as typeof import('../storage/index');
    const storeLog = this.logger(`storage:${profile.name}`);
    const customerKey = await this.profiles.customerKey(profile);
    const store = await createObjectStore({
      ...connectionOptionsFor(profile, found.credentials),
      ...(customerKey ? { customerKey } : {}),
      allowInsecureEndpoint,
      profileName: profile.name,
      log: (line) => storeLog.info(line),
    });
    this.own.info(
      `Connected profile "${profile.name}" (${profile.provider}, ${profile.region}${profile.endpoint ? `, ${profile.endpoint}` : ''}; keys from ${found.source === 'environment' ? 'the environment' : 'the secret storage'}).`,
    );
    return store;
  }

  /** Canonical plain-HTTP endpoints the user allowed keys to go to (kept per user, never per workspace). */
  private insecureAllowed(): string[] {
    const list = this.context.globalState.get<unknown>(INSECURE_ALLOWED);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  }

  private dropStore(profileName: string): void {
    if (this.stores.delete(profileName)) this.own.info(`Profile "${profileName}" changed; its client is recreated on next use.`);
  }

  private resetPool(): void {
    if (!this.pool) return;
    this.pool.dispose();
    this.pool = undefined;
    this.own.info('Hash worker count changed; the pool restarts on next use.');
  }

  private shutdown(): void {
    this.pool?.dispose();
    this.pool = undefined;
    this.stores.clear();
  }
}

/**
 * Opens the record; a record of an older format is moved first (once), which for millions of objects takes
 * seconds: the status bar says so meanwhile, with the count.
 */
function openShowingMove(file: string): Promise<CrcRecord> {
  let report: ((rows: number) => void) | undefined;
  let started = false;
  let finish = (): void => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const opening = openRecordLazily(file, {
    move: {
      onProgress: (rows) => {
        if (!started) {
          started = true;
          void vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Moving the CRC record to its new format') },
            (progress) => {
              report = (n) => progress.report({ message: vscode.l10n.t('{0} objects', formatCount(n)) });
              return finished;
            },
          );
        }
        report?.(rows);
      },
    },
  });
  void opening.then(finish, finish);
  return opening;
}
