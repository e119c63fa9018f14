import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { header, parseDate, type HeaderBag } from './shared/headerBag';
import type { ObjectInfo } from './types';

/**
 * What an object is beyond its bytes, read the same way for both clouds: whether its storage class keeps
 * it offline until restored, how far a restore is, and how it is encrypted. One home for "is this object
 * readable now", so the tree, the CLI and the transfers never disagree.
 */

/** Classes whose objects must be restored before their bytes can be read (COS and OSS spellings). */
const ARCHIVE_CLASSES = new Set(['ARCHIVE', 'DEEP_ARCHIVE', 'Archive', 'ColdArchive', 'DeepColdArchive']);

/**
 * Tiers of COS INTELLIGENT_TIERING (`x-cos-storage-tier`) whose objects are offline until restored, as
 * for an archive class: COS documents `ARCHIVE` (and `DEEP_ARCHIVE`); the S3 spellings it mirrors are
 * `ARCHIVE_ACCESS` and `DEEP_ARCHIVE_ACCESS`.
 */
const ARCHIVE_TIERS = new Set(['ARCHIVE', 'DEEP_ARCHIVE', 'ARCHIVE_ACCESS', 'DEEP_ARCHIVE_ACCESS']);

/** Restore speeds both services take (COS `CASJobParameters/Tier`, OSS `JobParameters/Tier`). */
export const RESTORE_TIERS = ['Expedited', 'Standard', 'Bulk'] as const;
export type RestoreTier = (typeof RESTORE_TIERS)[number];

export interface RestoreRequest {
  /** How long the restored copy stays readable, in days (1 to 365). */
  days: number;
  tier: RestoreTier;
}

/** What a restore request did: started one, found one running, or kept an already restored copy longer. */
export type RestoreOutcome = 'started' | 'in-progress' | 'extended';

/** A restore as `x-cos-restore` / `x-oss-restore` tell it. */
export interface RestoreStatus {
  ongoing: boolean;
  /** When the restored copy stops being readable (absent while ongoing). */
  expiry?: Date;
}

/** Whether a storage class is one whose objects are offline until restored. */
export function isArchiveClass(storageClass: string | undefined): boolean {
  return storageClass !== undefined && ARCHIVE_CLASSES.has(storageClass);
}

/**
 * Whether an object is offline until restored: an archive class, or INTELLIGENT_TIERING in an archive
 * tier (known only from a HEAD or GET: listings do not say the tier).
 */
export function isArchived(info: Pick<ObjectInfo, 'storageClass' | 'storageTier'>): boolean {
  if (isArchiveClass(info.storageClass)) return true;
  return /INTELLIGENT_TIERING$/.test(info.storageClass ?? '') && info.storageTier !== undefined && ARCHIVE_TIERS.has(info.storageTier);
}

/** Where an object stands for reading its bytes. */
export type Readability = 'readable' | 'archived' | 'restoring' | 'restored';

export function readability(info: Pick<ObjectInfo, 'storageClass' | 'storageTier' | 'restore'>, now = Date.now()): Readability {
  if (!isArchived(info)) return 'readable';
  const r = info.restore;
  if (r?.ongoing) return 'restoring';
  if (r?.expiry && r.expiry.getTime() > now) return 'restored';
  return 'archived';
}

/** Whether the bytes can be read now (not archived, or restored and not yet expired). */
export function canReadBytes(info: Pick<ObjectInfo, 'storageClass' | 'storageTier' | 'restore'>, now = Date.now()): boolean {
  const r = readability(info, now);
  return r === 'readable' || r === 'restored';
}

/** `ongoing-request="false", expiry-date="Fri, 23 Dec 2012 00:00:00 GMT"` → its parts. */
export function parseRestoreHeader(value: string | undefined): RestoreStatus | undefined {
  if (!value) return undefined;
  const ongoing = /ongoing-request\s*=\s*"?true"?/i.test(value);
  const m = /expiry-date\s*=\s*"([^"]+)"/i.exec(value);
  return { ongoing, expiry: ongoing ? undefined : parseDate(m?.[1]) };
}

/** Restore state and encryption from HEAD / GET headers (`prefix` is `x-cos-` or `x-oss-`). */
export function stateFromHeaders(
  headers: HeaderBag | undefined,
  prefix: string,
): Pick<ObjectInfo, 'restore' | 'encryption' | 'storageTier'> {
  const out: Pick<ObjectInfo, 'restore' | 'encryption' | 'storageTier'> = {};
  const tier = header(headers, `${prefix}storage-tier`);
  if (tier) out.storageTier = tier;
  const restore = parseRestoreHeader(header(headers, `${prefix}restore`));
  if (restore) out.restore = restore;
  if (header(headers, `${prefix}server-side-encryption-customer-algorithm`)) out.encryption = 'SSE-C';
  else {
    const sse = header(headers, `${prefix}server-side-encryption`);
    if (sse) out.encryption = sse;
  }
  return out;
}

/** How an object's encryption reads in a hover or a report. */
export function encryptionLabel(encryption: string | undefined): string {
  if (!encryption) return l10n.t('none');
  if (encryption === 'SSE-C') return l10n.t('SSE-C (customer key)');
  if (/kms/i.test(encryption)) return `SSE-KMS (${encryption})`;
  return l10n.t('server-side ({0})', encryption);
}

/** Checks a customer key (base64 of 32 bytes, AES-256); a message that never repeats the key, or undefined when good. */
export function customerKeyProblem(key: string): string | undefined {
  const t = key.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t) || Buffer.from(t, 'base64').length !== 32) {
    return l10n.t('A customer key (SSE-C) is 32 bytes (AES-256) written in base64: 44 characters ending with "=".');
  }
  return undefined;
}

/** The three SSE-C headers for a customer key, under the service's prefix (`x-cos-`, `x-oss-`, or a copy's source). */
export function customerKeyHeaders(prefix: string, key: string): Record<string, string> {
  const md5 = createHash('md5').update(Buffer.from(key, 'base64')).digest('base64');
  return {
    [`${prefix}server-side-encryption-customer-algorithm`]: 'AES256',
    [`${prefix}server-side-encryption-customer-key`]: key,
    [`${prefix}server-side-encryption-customer-key-MD5`]: md5,
  };
}
