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
}

function keyOf(arg: unknown): KeyArg['location'] | undefined {
  const node = arg as Partial<KeyArg> | undefined;
  return (node?.kind === 'object' || node?.kind === 'version') && node.location?.key ? node.location : undefined;
}

/** What the command resolves to (tests): the summary and every version's result. */
export interface VersionsOutcome {
  summary: VersionsSummary;
  results: VersionResult[];
  /** The mapped local file and the versions whose CRC-64 is its CRC-64, when a mapping covers the key. */
  local?: { path: string; crc64: string; sameAs: string[] };
}

/** The mapped local file's CRC-64 (remembered while unchanged), or undefined without one. */
async function localFileOf(
  feature: VerifyFeature,
  where: KeyArg['location'],
  signal: AbortSignal,
): Promise<{ path: string; size: number; crc64: string } | undefined> {
  const uri = localUriForRemote(where)?.uri;
  if (!uri) return undefined;
  const hash = poolHasher(feature.services.hashPool(), feature.services.localCrcs());
  const [h] = await hash([uri.fsPath], signal, () => undefined).catch((err: unknown) => {
    if (isCancelled(err)) throw err;
    return [];
  });
  // No file there (or it cannot be read): nothing to match, the versions are still checked.
  return h?.crc64 !== undefined && h.size !== undefined ? { path: uri.fsPath, size: h.size, crc64: formatCrc64(h.crc64) } : undefined;
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
    file: await localFileOf(feature, where, signal),
  }));
  const local = file ? { path: file.path, crc64: file.crc64, sameAs: versionsLike(results, file) } : undefined;
  const report = reportOf(where, summary, results, local);
  feature.services.results.add({
    kind: 'verify',
    title: vscode.l10n.t('Verify All Versions: {0}/{1}', where.bucket, where.key),
    at,
    rows: results.filter((r) => !r.deleteMarker).map((r) => row(where, r, local)),
    report,
    rerun: () => verifyVersions(feature, { kind: 'object', location: where }),
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
