import * as vscode from 'vscode';
import { compareFile } from '../../../integrity/compare';
import { computeRemoteCrc64 } from '../../../transfer/read/remoteCrc';
import { isArchivedError, offerRestore } from '../../shared/restoreFlow';
import { formatBytes } from '../../../util/format';
import { remoteBadgeKey } from '../../shared/badgeKeys';
import { remoteTargetOf } from '../../shared/commandArgs';
import { localUriForRemote } from '../../shared/mappingSettings';
import { withCancellableProgress } from '../../shared/progress';
import { applyResults } from '../../shared/badgeResults';
import { compareDeps, downloadedKey, rememberPairs, type CompareFeature } from '../compareFeature';
import type { ObjectStore } from '../../../storage/types';

export interface RemoteCrcOutcome {
  key: string;
  crc64: string;
  size: number;
  /** The CRC the service stored, when it has one (then both are shown). */
  serviceCrc64?: string;
  /** Status against the mapped local file, when there is one. */
  status?: string;
}

const COPY = 'Copy CRC-64';

/** The object is archived: Restore… is offered instead of an error. */
const ARCHIVED = Symbol('archived');

type Computed = Awaited<ReturnType<typeof computeRemoteCrc64>>;

/**
 * The badge with the computed value: against the mapped local file when there is one (its status
 * returned), else the object's own badge keeps what it said, now with the remote value.
 */
async function badgeWith(
  feature: CompareFeature,
  store: ObjectStore,
  place: { profile: string; bucket: string; key: string },
  result: Computed,
  signal: AbortSignal,
  report: (message: string) => void,
): Promise<string | undefined> {
  const { profile, bucket, key } = place;
  const mapped = localUriForRemote(place);
  if (mapped) {
    const deps = await compareDeps(feature, profile, bucket, store, signal, report);
    const r = await compareFile(deps, { localPath: mapped.uri.fsPath, bucket, key });
    if (r.status !== 'only-remote') {
      applyResults(feature.services.badges, { profile, bucket }, [r]);
      rememberPairs(feature, profile, bucket, [r]);
      return r.status;
    }
  }
  const badgeKey = remoteBadgeKey(profile, bucket, key);
  const previous = feature.services.badges.get(badgeKey);
  feature.services.badges.set(badgeKey, {
    ...(previous ?? { status: 'no-crc', remoteOnly: true }),
    remoteCrc64: result.crc64,
    remoteCrcSource: 'download',
    detail:
      result.serviceCrc64 && result.serviceCrc64 !== result.crc64
        ? vscode.l10n.t('downloaded bytes differ from the stored CRC-64')
        : previous?.detail,
    checkedAt: Date.now(),
  });
  return undefined;
}

/** The value in a notification (a warning when it disagrees with the stored CRC-64 or the local file), with Copy CRC-64. */
function showOutcome(name: string, outcome: RemoteCrcOutcome): void {
  let text = vscode.l10n.t('CRC-64 of {0} (computed from {1} downloaded): {2}', name, formatBytes(outcome.size), outcome.crc64);
  if (outcome.serviceCrc64)
    text +=
      outcome.serviceCrc64 === outcome.crc64
        ? vscode.l10n.t(' — same as the stored CRC-64.')
        : vscode.l10n.t(' — the stored CRC-64 is {0}: the object is damaged!', outcome.serviceCrc64);
  if (outcome.status)
    text += outcome.status === 'match' ? vscode.l10n.t(' Local file: matches.') : vscode.l10n.t(' Local file: {0}.', outcome.status);
  const warn = (outcome.serviceCrc64 && outcome.serviceCrc64 !== outcome.crc64) || (outcome.status && outcome.status !== 'match');
  void (warn ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(text, COPY).then(async (pick) => {
    if (pick === COPY) await vscode.env.clipboard.writeText(outcome.crc64);
  });
}

/**
 * `bucketIntegrity.computeRemoteCrc` ("Compute Remote CRC-64 (download)"): streams the object through the
 * engine, never to disk, shows the value, and uses it for the badge: against the mapped local file when
 * there is one. The value is remembered for that ETag, so later comparisons can check the object too.
 */
export async function computeRemoteCrc(feature: CompareFeature, arg?: unknown): Promise<RemoteCrcOutcome | undefined> {
  const target = remoteTargetOf(arg ?? feature.buckets?.selection());
  if (!target || target.isPrefix) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick an object in the Buckets view to compute its CRC-64.'));
    return undefined;
  }
  const { profile, bucket, key } = target;
  const name = key.slice(key.lastIndexOf('/') + 1);
  const outcome = await withCancellableProgress(vscode.l10n.t('Downloading {0} to compute its CRC-64', name), async (signal, report) => {
    const store = await feature.services.storeFor(profile);
    const started = performance.now();
    let result: Computed;
    try {
      result = await computeRemoteCrc64(store, bucket, key, {
        signal,
        onProgress: (done, total) => report(vscode.l10n.t('{0} of {1}', formatBytes(done), formatBytes(total))),
      });
    } catch (err) {
      if (isArchivedError(err)) return ARCHIVED;
      throw err;
    }
    const seconds = (performance.now() - started) / 1000;
    feature.log.info(
      `Remote CRC-64 of ${bucket}/${key}: ${result.crc64} (${formatBytes(result.size)} streamed in ${seconds.toFixed(2)} s)`,
    );
    feature.downloaded.set(downloadedKey(profile, bucket, key), { etag: result.info.etag, size: result.size, crc64: result.crc64 });

    // The comparison now uses the computed value.
    const status = await badgeWith(feature, store, { profile, bucket, key }, result, signal, report);
    return {
      key,
      crc64: result.crc64,
      size: result.size,
      ...(result.serviceCrc64 ? { serviceCrc64: result.serviceCrc64 } : {}),
      ...(status ? { status } : {}),
    };
  });
  if (outcome === ARCHIVED) {
    void offerRestore(
      { storeFor: (p) => feature.services.storeFor(p), log: feature.log },
      { profile, bucket, key },
      vscode.l10n.t('Compute Remote CRC-64'),
      () => computeRemoteCrc(feature, target),
    );
    return undefined;
  }
  if (!outcome) return undefined;
  showOutcome(name, outcome);
  return outcome;
}
