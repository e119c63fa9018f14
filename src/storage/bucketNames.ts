import * as l10n from '@vscode/l10n';
import type { ProviderKind } from './types';

/**
 * The bucket-name rules of each service, checked before a bucket is created, so a bad name gets a
 * message that says which rule it breaks instead of the service's bare `InvalidBucketName`.
 *
 * - COS: `<name>-<APPID>`; the name of lowercase letters, digits and hyphens, not starting or ending with
 *   a hyphen; `<bucket>.cos.<region>.myqcloud.com` at most 60 characters (COS "Bucket naming rules").
 * - OSS: 3–63 characters of lowercase letters, digits and hyphens, starting and ending with a letter or
 *   a digit (OSS "Bucket naming conventions").
 */

/** The longest COS bucket domain, `<bucket>.cos.<region>.myqcloud.com`. */
const COS_MAX_DOMAIN = 60;

/** What is wrong with a bucket name for this service, or undefined when it may be created. */
export function bucketNameProblem(provider: ProviderKind, name: string, region?: string): string | undefined {
  if (provider === 'cos') {
    const m = /^(.*)-(\d+)$/.exec(name);
    if (!m) return l10n.t('A COS bucket name ends with the account\'s APPID, e.g. "photos-1250000000".');
    const base = m[1];
    if (!base) return l10n.t('A COS bucket name needs a name before its APPID, e.g. "photos-1250000000".');
    if (!/^[a-z0-9-]+$/.test(base)) return l10n.t('A COS bucket name holds only lowercase letters, digits and hyphens.');
    if (base.startsWith('-') || base.endsWith('-')) return l10n.t('A COS bucket name cannot start or end with a hyphen.');
    const domain = `${name}.cos.${region ?? 'ap-guangzhou'}.myqcloud.com`;
    if (region && domain.length > COS_MAX_DOMAIN)
      return l10n.t('"{0}" is longer than {1} characters: use a shorter name.', domain, COS_MAX_DOMAIN);
    return undefined;
  }
  if (name.length < 3 || name.length > 63) return l10n.t('An OSS bucket name is 3 to 63 characters long.');
  if (!/^[a-z0-9-]+$/.test(name)) return l10n.t('An OSS bucket name holds only lowercase letters, digits and hyphens.');
  if (name.startsWith('-') || name.endsWith('-')) return l10n.t('An OSS bucket name starts and ends with a letter or a digit.');
  return undefined;
}
