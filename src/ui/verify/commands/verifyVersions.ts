import * as vscode from 'vscode';
import { verifyAllVersions, type VersionResult, type VersionsSummary } from '../../../integrity/versions/verifyVersions';
import type { ResultRow } from '../../../integrity/results';
import { isVersionLister } from '../../../storage/capabilities';
import { formatCount } from '../../../util/format';
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
}

function row(where: KeyArg['location'], r: VersionResult): ResultRow {
  return {
    status: r.status!,
    path: `${r.key} @ ${r.versionId}${r.isLatest ? ` (${vscode.l10n.t('current')})` : ''}`,
    profile: where.profile,
    bucket: where.bucket,
    key: r.key,
    ...(r.detail ? { detail: r.detail } : {}),
  };
}

function reportOf(where: KeyArg['location'], s: VersionsSummary, results: readonly VersionResult[]): string {
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
  const summary = await withNotificationProgress(vscode.l10n.t('Verifying all versions of {0}', where.key), (signal) =>
    verifyAllVersions({ store, bucket: where.bucket, prefix: where.key, exactKey: true, signal, onResult: (r) => results.push(r) }),
  );
  const report = reportOf(where, summary, results);
  feature.services.results.add({
    kind: 'verify',
    title: vscode.l10n.t('Verify All Versions: {0}/{1}', where.bucket, where.key),
    at,
    rows: results.filter((r) => !r.deleteMarker).map((r) => row(where, r)),
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
  feature.log.info(line);
  void (bad ? vscode.window.showWarningMessage(line) : vscode.window.showInformationMessage(line));
  return { summary, results };
}
