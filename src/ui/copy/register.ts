import { join } from 'node:path';
import type * as vscode from 'vscode';
import { StorageError } from '../../storage/errors';
import { locationOf } from '../../storage/locationIdentity';
import { MigrationCheckpointStore } from '../../transfer/migrate';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import { connectionOptionsFor } from '../shared/profileModel';
import { copyOrMove, type CopyArgs } from './commands/copyObject';
import type { CopyFeature } from './context';
import { BucketsDragAndDrop } from './dragAndDrop';
import type { CommandId } from '../commandIds';
import * as l10n from '@vscode/l10n';

/**
 * Verified **Copy To…** and **Move or Rename…** on objects of the Buckets view, into the same or another
 * profile, and the view's drag and drop (handed to the view when it is created).
 */
export function registerCopy(
  context: vscode.ExtensionContext,
  services: Services,
): CopyFeature & { dragAndDrop: BucketsDragAndDrop<unknown> } {
  const feature: CopyFeature = {
    services,
    log: services.logger('copy'),
    profileNames: () => services.profiles.names(),
    endpointOf: async (name) => {
      const profile = services.profiles.get(name);
      const found = profile && (await services.profiles.credentials(profile));
      if (!profile || !found) throw new StorageError('credentials', l10n.t('Profile "{0}" has no keys.', name));
      return { connection: connectionOptionsFor(profile, found.credentials) };
    },
    migrationCheckpoints: new MigrationCheckpointStore(join(context.globalStorageUri.fsPath, 'migrations')),
  };
  const command = (id: CommandId, run: (...args: unknown[]) => unknown): void => registerCommand(context, feature.log, id, run);
  command('bucketIntegrity.copyObject', (node, args) => copyOrMove(feature, false, node, args as CopyArgs | undefined));
  command('bucketIntegrity.moveObject', (node, args) => copyOrMove(feature, true, node, args as CopyArgs | undefined));
  // Re-run in the Results view: the same copy to the same destination (a move is never replayed).
  services.results.setRerunner('copy', (replay) => {
    const { source, args } = replay as { source: unknown; args: CopyArgs };
    return copyOrMove(feature, false, source, args);
  });
  // A profile without keys has no identity to compare: the copy itself refuses an object onto itself.
  const identify = (profile: string, bucket: string, key: string) =>
    feature.endpointOf(profile).then(
      (e) => locationOf(e.connection, bucket, key),
      () => undefined,
    );
  return { ...feature, dragAndDrop: new BucketsDragAndDrop<unknown>(identify) };
}
