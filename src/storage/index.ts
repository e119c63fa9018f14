import * as l10n from '@vscode/l10n';
import { insecureEndpointProblem } from './destination';
import { StorageError } from './errors';
import type { ConnectionOptions, ObjectStore } from './types';

export type * from './types';
export { PositionConflictError, StorageError, type StorageErrorKind } from './errors';

/**
 * An object store for the connection's cloud. The adapter (and with it the cloud's SDK) is loaded on
 * first use only, so activating the extension or running `bucket-integrity crc64` never pays for it.
 */
export async function createObjectStore(options: ConnectionOptions): Promise<ObjectStore> {
  const insecure = options.allowInsecureEndpoint ? undefined : insecureEndpointProblem(options.endpoint);
  if (insecure) {
    throw new StorageError(
      'insecure-endpoint',
      insecure,
      l10n.t('Use an https:// endpoint, or allow this one explicitly (the editor asks; the CLI takes --allow-insecure-endpoint).'),
    );
  }
  switch (options.provider) {
    case 'cos': {
      const { createCosStore } = await import('./cos/store');
      return createCosStore(options);
    }
    case 'oss': {
      const { createOssStore } = await import('./oss/store');
      return createOssStore(options);
    }
    default:
      throw new Error(l10n.t('Unknown provider "{0}"; expected "cos" or "oss".', String((options as { provider: unknown }).provider)));
  }
}
export { listAllObjects, listObjects } from './listing';
export {
  isAppendable,
  isInventoryRunner,
  isObjectMetaReader,
  isRestorable,
  type Appendable,
  type InventoryRunner,
  type ObjectMetaReader,
  type Restorable,
} from './capabilities';
export { PROVIDER_KINDS, isProviderKind, providerTraits, type ProviderTraits } from './traits';
