import { COS_TRAITS } from './cos/traits';
import { OSS_TRAITS } from './oss/traits';
import type { ProviderTraits } from './traitsTypes';
import type { ProviderKind } from './types';

export type { InventoryReportPlace, ProviderTraits } from './traitsTypes';

const TRAITS: Record<ProviderKind, ProviderTraits> = { cos: COS_TRAITS, oss: OSS_TRAITS };

/** Every cloud, in a stable order. */
export const PROVIDER_KINDS = Object.keys(TRAITS) as ProviderKind[];

export function isProviderKind(value: unknown): value is ProviderKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TRAITS, value);
}

export function providerTraits(kind: ProviderKind): ProviderTraits {
  return TRAITS[kind];
}
