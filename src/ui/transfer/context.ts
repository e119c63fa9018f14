import * as vscode from 'vscode';
import type { BadgeStore } from '../../integrity/badgeStore';
import type { ObjectStore } from '../../storage/types';
import type { CheckpointStore } from '../../transfer/checkpoint';
import { remotePathOf, REMOTE_SCHEME } from '../buckets/remotePath';
import { parseMappings, type FolderMapping } from '../mappings/mappingModel';
import type { ProfileConfig } from '../profiles/profileModel';

/** What the transfer commands need from the extension's services. */
export interface TransferServices {
  readonly log: vscode.LogOutputChannel;
  readonly badges: BadgeStore;
  readonly checkpoints: CheckpointStore;
  readonly profiles: { all(): readonly ProfileConfig[]; get(name: string): ProfileConfig | undefined };
  storeFor(profileName: string): Promise<ObjectStore>;
}

export function log(services: TransferServices, line: string): void {
  services.log.info(`[transfer] ${line}`);
}

export function mappingsFromSettings(): FolderMapping[] {
  return parseMappings(vscode.workspace.getConfiguration('bucketIntegrity').get('mappings')).mappings;
}

/**
 * Checkpoint "service" for a profile: its name (so an interrupted upload can be resumed with the same
 * keys) and where it points (so a profile re-pointed elsewhere never resumes against the wrong service).
 */
export function serviceIdFor(services: TransferServices, profileName: string): string {
  const p = services.profiles.get(profileName);
  return `profile:${profileName}@${p ? (p.endpoint ?? `${p.provider}:${p.region}`) : ''}`;
}

export function profileOfServiceId(service: string): string | undefined {
  const m = /^profile:(.*)@[^@]*$/.exec(service);
  return m ? m[1] : undefined;
}

/** Badge key of a remote object: the tree item's `resourceUri`. */
export function remoteBadgeKey(profile: string, bucket: string, key: string): string {
  return vscode.Uri.from({ scheme: REMOTE_SCHEME, path: remotePathOf({ profile, bucket, key }) }).toString();
}

export function localBadgeKey(path: string): string {
  return vscode.Uri.file(path).toString();
}

/** The workspace folder a mapping's relative `localFolder` is resolved against. */
export function mappingRoot(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}
