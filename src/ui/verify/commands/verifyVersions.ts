import * as vscode from 'vscode';
import { verifyAllVersions, versionsLike, type VersionResult, type VersionsSummary } from '../../../integrity/versions/verifyVersions';
import type { ResultRow } from '../../../integrity/results';
import { isVersionLister } from '../../../storage/capabilities';
import { isCancelled } from '../../../util/errors';
import { formatCount } from '../../../util/format';
import { formatCrc64 } from '../../../crc/crc64';
import { poolHasher } from '../../../crc/hashers';
import { localUriForRemote } from '../../shared/mappingSettings';
import { withNotificationProgress } from '../../shared/progress';
import type { VerifyFeature } from '../verifyFeature';

/**
 * **Verify All Versions** of an object in a versioned bucket (on the object or on any of its versions in
 * the Buckets tree): what `verify --all-versions` does, for that one key. Each version is HEADed by its
 * version id; its rows go to the Results view, delete markers are counted, not checked.
 */

/** The object or version node the command was run on, as far as it is read here. */
interface KeyArg {
  kind: 'object' | 'version';
  location: { profile: string; bucket: string; key: string };
  /** The local file to compare with instead of the mapped one (`false`: none); a re-run gives it. */
  local?: string | false;
}

function keyOf(arg: unknown): KeyArg['location'] | undefined {
  const node = arg as Partial<KeyArg> | undefined;
  return (node?.kind === 'object' || node?.kind === 'version') && node.location?.key ? node.location : undefined;
}

/**
 * What a run stores so Re-run repeats it, also after a window reload: the key, and the local file it
 * compared with (`false`: none), so the same file is read again even when the mapping has changed.
 */
export interface VersionsReplay {
  versionsOf: { profile: string; bucket: string; key: string };
  local: string | false;
}

function isVersionsReplay(replay: unknown): replay is VersionsReplay {
  const r = replay as Partial<VersionsReplay> | null;
  const at = r?.versionsOf;
  return (
    typeof at === 'object' &&
    at !== null &&
    typeof at.profile === 'string' &&
    typeof at.bucket === 'string' &&
    typeof at.key === 'string' &&
    at.key !== '' &&
    (r?.local === false || typeof r?.local === 'string')
  );
}

/** Whether a verify run's replay is one of Verify All Versions (the others are of Verify Prefix). */
export function isVersionsRun(replay: unknown): boolean {
  return typeof replay === 'object' && replay !== null && 'versionsOf' in replay;
}

/** Re-run from the Results view: the same key against the same local file. Stored data is trusted only as far as it checks out. */
export function rerunVersions(feature: VerifyFeature, replay: unknown): Promise<VersionsOutcome | undefined> {
  if (!isVersionsReplay(replay))
    throw new Error(vscode.l10n.t('This Verify All Versions run cannot be run again: its stored key is not readable.'));
  const { profile, bucket, key } = replay.versionsOf;
  return verifyVersions(feature, { kind: 'object', location: { profile, bucket, key }, local: replay.local });
}

/** What the command resolves to (tests): the summary and every version's result. */
export interface VersionsOutcome {
  summary: VersionsSummary;
  results: VersionResult[];
  /** The mapped local file and the versions whose CRC-64 is its CRC-64, when a mapping covers the key. */
  local?: { path: string; crc64: string; sameAs: string[] };
}

/** The local file to compare with: the one given (a re-run), else the mapped one; undefined for none. */
function localPathOf(where: KeyArg['location'], given: unknown): string | undefined {
  const local = (given as Partial<KeyArg> | undefined)?.local;
  if (local === false) return undefined;
  return typeof local === 'string' ? local : localUriForRemote(where)?.uri.fsPath;
}

/** The local file's CRC-64 (remembered while unchanged), or undefined without one. */
async function localFileOf(
  feature: VerifyFeature,
  path: string | undefined,
  signal: AbortSignal,
): Promise<{ path: string; size: number; crc64: string } | undefined> {
  if (!path) return undefined;
  const hash = poolHasher(feature.services.hashPool(), feature.services.localCrcs());
  const [h] = await hash([path], signal, () => undefined).catch((err: unknown) => {
    if (isCancelled(err)) throw err;
    return [];
  });
  // No file there (or it cannot be read): nothing to match, the versions are still checked.
  return h?.crc64 !== undefined && h.size !== undefined ? { path, size: h.size, crc64: formatCrc64(h.crc64) } : undefined;
}

function row(where: KeyArg['location'], r: VersionResult, local: VersionsOutcome['local']): ResultRow {
  const same = local?.sameAs.includes(r.versionId) ? vscode.l10n.t('the same bytes as the local file') : undefined;
  const detail = [r.detail, same].filter(Boolean).join('; ');
  return {
    status: r.status!,
    path: `${r.key} @ ${r.versionId}${r.isLatest ? ` (${vscode.l10n.t('current')})` : ''}`,
    profile: where.profile,
    bucket: where.bucket,
    key: r.key,
    ...(detail ? { detail } : {}),
  };
}

function localLine(local: VersionsOutcome['local']): string[] {
  if (!local) return [];
  return [
    local.sameAs.length
      ? vscode.l10n.t('The local file {0} holds the bytes of version {1}.', local.path, local.sameAs.join(', '))
      : vscode.l10n.t('The local file {0} holds the bytes of no version.', local.path),
  ];
}

function reportOf(
  where: KeyArg['location'],
  s: VersionsSummary,
  results: readonly VersionResult[],
  local: VersionsOutcome['local'],
): string {
  const lines = results.map((r) =>
    r.deleteMarker
      ? vscode.l10n.t('{0}: delete marker', r.versionId)
      : `${r.versionId}${r.isLatest ? ` (${vscode.l10n.t('current')})` : ''}: ${r.status}${r.detail ? ` (${r.detail})` : ''}`,
  );
  const counts = Object.entries(s.counts).map(([verdict, n]) => `${verdict} ${formatCount(n)}`);
  return [
    vscode.l10n.t('All versions of {0} in {1}', where.key, where.bucket),
    vscode.l10n.t(
      '{0} versions checked by version id ({1}); {2} delete markers',
      formatCount(s.versions),
      counts.join(', '),
      formatCount(s.deleteMarkers),
    ),
    ...localLine(local),
    '',
    ...lines,
    '',
  ].join('\n');
}

export async function verifyVersions(feature: VerifyFeature, arg: unknown): Promise<VersionsOutcome | undefined> {
  const where = keyOf(arg);
  if (!where) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick an object or one of its versions in the Buckets view.'));
    return undefined;
  }
  const store = await feature.services.storeFor(where.profile);
  if (!isVersionLister(store)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This bucket keeps no versions here.'));
    return undefined;
  }
  const localPath = localPathOf(where, arg);
  const results: VersionResult[] = [];
  const at = new Date();
  const { summary, file } = await withNotificationProgress(vscode.l10n.t('Verifying all versions of {0}', where.key), async (signal) => ({
    summary: await verifyAllVersions({
      store,
      bucket: where.bucket,
      prefix: where.key,
      exactKey: true,
      signal,
      onResult: (r) => results.push(r),
    }),
    file: await localFileOf(feature, localPath, signal),
  }));
  const local = file ? { path: file.path, crc64: file.crc64, sameAs: versionsLike(results, file) } : undefined;
  const report = reportOf(where, summary, results, local);
  feature.services.results.add({
    kind: 'verify',
    title: vscode.l10n.t('Verify All Versions: {0}/{1}', where.bucket, where.key),
    at,
    rows: results.filter((r) => !r.deleteMarker).map((r) => row(where, r, local)),
    report,
    // Plain data, so Re-run works on this run after a window reload too (see `rerunVersions`).
    replay: {
      versionsOf: { profile: where.profile, bucket: where.bucket, key: where.key },
      local: localPath ?? false,
    } satisfies VersionsReplay,
  });
  const bad = summary.versions - (summary.counts.match ?? 0);
  const line = vscode.l10n.t(
    'Verified {0} versions of {1}: {2}.',
    formatCount(summary.versions),
    where.key,
    bad ? vscode.l10n.t('{0} did not match', formatCount(bad)) : vscode.l10n.t('all match'),
  );
  feature.log.info([line, ...localLine(local)].join(' '));
  void (bad ? vscode.window.showWarningMessage(line) : vscode.window.showInformationMessage(line));
  return { summary, results, ...(local ? { local } : {}) };
}
