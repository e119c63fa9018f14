import type { BadgeEntry } from '../../integrity/badgeStore';
import { needsHead } from '../../record/freshness';
import type { CrcRecord, RecordedObject, Scope } from '../../record/record';
import type { ObjectInfo } from '../../storage/types';
import type { ObjectNode } from './treeNodes';
import * as l10n from '@vscode/l10n';

/**
 * Badges for listed objects from the CRC record, without a HEAD per row: an object the record knows with
 * the same ETag, size and LastModified gets the recorded CRC-64 (tooltip, "+crc" menus) and a badge — "match" when its
 * CRC-64 is recorded, "differ" when a check saw it change while the ETag did not, "no CRC-64" when it was
 * stored without one. Editor-free, so it is tested against the emulator and a real record.
 */

/** Whether the record describes the listed content: the record's rule (ETag, size and LastModified; `needsHead`). */
export function sameContent(known: RecordedObject, info: ObjectInfo): boolean {
  return !needsHead(known, info);
}

/** Sets `recorded` on the nodes the record describes (and clears it where the object changed). */
export function attachRecorded(nodes: readonly ObjectNode[], known: ReadonlyMap<string, RecordedObject> | undefined): void {
  for (const node of nodes) {
    const r = known?.get(node.info.key);
    node.recorded = r && sameContent(r, node.info) ? r : undefined;
  }
}

/** The record's entries for these keys of one bucket (one indexed read each). */
export function readRecorded(record: CrcRecord, scope: Scope, keys: readonly string[]): Map<string, RecordedObject> {
  const out = new Map<string, RecordedObject>();
  for (const key of keys) {
    const r = record.objects.get(scope, key);
    if (r) out.set(key, r);
  }
  return out;
}

function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** The badge the record gives a listed object, or undefined when it knows nothing of this content. */
export function recordBadgeOf(node: ObjectNode): BadgeEntry | undefined {
  const r = node.recorded;
  if (!r) return undefined;
  const learnt =
    r.source === 'head'
      ? l10n.t('recorded from a HEAD on {0}; ETag, size and LastModified unchanged since', when(r.checkedAt))
      : l10n.t('recorded from an {0} on {1}; ETag, size and LastModified unchanged since', r.source, when(r.checkedAt));
  if (r.previousCrc64 && r.crc64) {
    return {
      status: 'differ',
      remoteOnly: true,
      remoteCrc64: r.crc64,
      remoteCrcSource: 'record',
      checkedAt: r.checkedAt,
      detail: l10n.t('CRC-64 changed from {0} while the ETag stayed the same', r.previousCrc64),
    };
  }
  if (!r.crc64)
    return {
      status: 'no-crc',
      remoteOnly: true,
      remoteCrcSource: 'record',
      checkedAt: r.checkedAt,
      detail: l10n.t('stored without a CRC-64 ({0})', learnt),
    };
  return { status: 'match', remoteOnly: true, remoteCrc64: r.crc64, remoteCrcSource: 'record', checkedAt: r.checkedAt, detail: learnt };
}

/**
 * Badge store changes for a listed page: the record's badge where it knows the object, and removal of an
 * earlier record badge where the object changed. Results of a Compare or a Verify are never replaced.
 */
export function recordBadgeUpdates(
  nodes: readonly ObjectNode[],
  keyOf: (node: ObjectNode) => string,
  current: (key: string) => BadgeEntry | undefined,
): { set: Array<[string, BadgeEntry]>; remove: string[] } {
  const set: Array<[string, BadgeEntry]> = [];
  const remove: string[] = [];
  for (const node of nodes) {
    const key = keyOf(node);
    const existing = current(key);
    if (existing && existing.remoteCrcSource !== 'record') continue;
    const entry = recordBadgeOf(node);
    if (entry) set.push([key, entry]);
    else if (existing) remove.push(key);
  }
  return { set, remove };
}
