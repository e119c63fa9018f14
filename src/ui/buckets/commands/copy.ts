import * as vscode from 'vscode';
import { remoteBadgeKey } from '../../shared/badgeKeys';
import { remoteTargetOf } from '../../shared/commandArgs';
import { nodeOf, type BucketsFeature } from '../bucketsFeature';
import { runCommand } from '../../commands';

/** The object an argument names: a tree node or a plain `{ profile, bucket, key }`. */
function objectOf(feature: BucketsFeature, arg: unknown): { profile: string; bucket: string; key: string } | undefined {
  const node = nodeOf(feature, arg);
  if (node && (node.kind === 'object' || node.kind === 'folder' || node.kind === 'bucket')) return node.location;
  const target = remoteTargetOf(arg);
  return target ? { profile: target.profile, bucket: target.bucket, key: target.key } : undefined;
}

/** `bucketIntegrity.copyKey`: the object key (or prefix) to the clipboard; returns it. */
export async function copyKey(feature: BucketsFeature, arg: unknown): Promise<string | undefined> {
  const target = objectOf(feature, arg);
  if (!target) return undefined;
  await vscode.env.clipboard.writeText(target.key);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied key {0}', target.key), 3000);
  return target.key;
}

/**
 * `bucketIntegrity.copyCrc64`: the object's CRC-64 (decimal, as the services print it) to the clipboard.
 * From the service's HEAD; else from a "Compute Remote CRC-64 (download)" result; else an offer to compute it.
 * Returns the value copied.
 */
export async function copyCrc64(feature: BucketsFeature, arg: unknown): Promise<string | undefined> {
  const target = objectOf(feature, arg);
  if (!target || target.key === '' || target.key.endsWith('/')) return undefined;
  const node = nodeOf(feature, arg);
  let crc: string | undefined;
  if (node?.kind === 'object') {
    crc = (node.head ?? (await feature.tree.head(node))).crc64;
  } else {
    const store = await feature.services.storeFor(target.profile);
    crc = (await store.head(target.bucket, target.key)).crc64;
  }
  if (!crc) {
    crc = feature.services.badges.get(remoteBadgeKey(target.profile, target.bucket, target.key))?.remoteCrc64;
  }
  if (!crc) {
    const pick = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} was stored without a CRC-64.', target.key),
      vscode.l10n.t('Compute Remote CRC-64 (download)'),
    );
    if (pick) await runCommand('bucketIntegrity.computeRemoteCrc', target);
    return undefined;
  }
  await vscode.env.clipboard.writeText(crc);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied CRC-64 {0}', crc), 3000);
  return crc;
}
