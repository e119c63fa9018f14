import type * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { Services } from '../services';
import { addProfile } from './commands/addProfile';
import { editProfile } from './commands/editProfile';
import { removeProfile } from './commands/removeProfile';
import { setCustomerKey } from './commands/setCustomerKey';
import { setProfileKeys } from './commands/setProfileKeys';

/** Profile commands: add, edit, remove, and set keys (kept in SecretStorage). */
export function registerProfiles(context: vscode.ExtensionContext, services: Services): void {
  const log = services.logger('profiles');
  registerCommand(context, log, 'bucketIntegrity.addProfile', (arg) => addProfile(services, arg));
  registerCommand(context, log, 'bucketIntegrity.editProfile', (target, changes) => editProfile(services, target, changes));
  registerCommand(context, log, 'bucketIntegrity.removeProfile', (target, options) =>
    removeProfile(services, target, options as { confirm?: boolean } | undefined),
  );
  registerCommand(context, log, 'bucketIntegrity.setProfileKeys', (target, keys) => setProfileKeys(services, target, keys));
  registerCommand(context, log, 'bucketIntegrity.setCustomerKey', (target, key) => setCustomerKey(services, target, key));
}
