import * as l10n from '@vscode/l10n';
import { providerTraits } from './traits';
import type { ProviderKind } from './types';

/**
 * The shape of a public region name, checked before a request goes to the host it picks: a region that
 * cannot exist is named as such, not reported later as an unreachable host. The project keeps no list of
 * regions (the clouds add them), so this checks the shape: COS `ap-guangzhou`, `na-siliconvalley`,
 * `ap-shanghai-fsi`; OSS `oss-cn-hangzhou` or `cn-hangzhou`, `ap-southeast-1`.
 */
const COS_REGION = /^(ap|na|sa|eu|me)-[a-z]+(-[a-z0-9]+)*$/;
const OSS_REGION = /^(oss-)?(cn|us|ap|eu|me|rg)-[a-z]+(-[a-z0-9]+)*$/;

/** Why `region` cannot be a public region of `provider`, or undefined when it may be one. */
export function regionNameProblem(provider: ProviderKind, region: string): string | undefined {
  const name = region.trim().toLowerCase();
  if ((provider === 'cos' ? COS_REGION : OSS_REGION).test(name)) return undefined;
  const other: ProviderKind = provider === 'cos' ? 'oss' : 'cos';
  const looksOther = (other === 'cos' ? COS_REGION : OSS_REGION).test(name) && (other === 'oss' ? /^(oss-)?cn-/.test(name) : true);
  const example = providerTraits(provider).regionExample;
  const notOne = provider === 'oss' ? l10n.t('"{0}" is not an OSS region:', region) : l10n.t('"{0}" is not a COS region:', region);
  const hint = !looksOther ? '' : other === 'oss' ? l10n.t(' it looks like an OSS region;') : l10n.t(' it looks like a COS region;');
  return l10n.t('{0}{1} {2} regions look like {3}', notOne, hint, provider.toUpperCase(), example);
}
