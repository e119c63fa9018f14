import type { CrcRecord } from '../../record/record';
import type * as vscode from 'vscode';
import type { BadgeStore } from '../../integrity/badgeStore';
import type { ObjectStore } from '../../storage/types';
import type { CheckpointStore } from '../../transfer/checkpoint';
import type { ProfileConfig } from '../shared/profileModel';
import { printable } from '../../util/format';

/** What the transfer commands need from the extension's services. */
export interface TransferServices {
  readonly log: vscode.LogOutputChannel;
  readonly badges: BadgeStore;
  readonly checkpoints: CheckpointStore;
  readonly profiles: { all(): readonly ProfileConfig[]; get(name: string): ProfileConfig | undefined };
  storeFor(profileName: string): Promise<ObjectStore>;
  /** The CRC record verified transfers are remembered in (absent: not remembered). */
  readonly record?: { use<T>(work: (record: CrcRecord) => T | Promise<T>): Promise<T> };
}

export function log(services: TransferServices, line: string): void {
  // Keys may hold newlines or control characters: one entry stays one line of the log.
  services.log.info(`[transfer] ${printable(line)}`);
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
