import * as vscode from 'vscode';
import { createFolder as createFolderIn, folderNameProblem } from '../../../storage/bucketOps';
import { notify, placeText } from '../../shared/notify';
import { nodeAt, type BucketsFeature } from '../bucketsFeature';
import { prefixOf, type ContainerNode } from '../treeModel';

/**
 * `bucketIntegrity.createFolder` ("Create Folder…") on a bucket or folder (on an object: its folder): asks
 * a name (`a/b` makes nested folders at once) and stores the zero-byte marker `prefix/name/`, as the
 * consoles do. `name` skips the prompt. Resolves to the marker's key, or undefined when none was made.
 */
export async function createFolder(feature: BucketsFeature, arg?: unknown, name?: unknown): Promise<string | undefined> {
  const node = await nodeAt(feature, arg);
  const container: ContainerNode | undefined =
    node?.kind === 'bucket' || node?.kind === 'folder'
      ? node
      : node?.kind === 'object'
        ? (feature.tree.model.parentOf(node) as ContainerNode | undefined)
        : undefined;
  if (!container) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick a bucket or a folder in the Buckets view to create a folder in it.'));
    return undefined;
  }
  const { profile, bucket } = container.location;
  const parent = prefixOf(container);
  let value = typeof name === 'string' ? name : undefined;
  if (value === undefined) {
    value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create Folder in {0}/{1}', bucket, parent),
      prompt: vscode.l10n.t('Folder name (a/b creates nested folders)'),
      placeHolder: vscode.l10n.t('e.g. images'),
      validateInput: (v) => folderNameProblem(v),
    });
    if (value === undefined) return undefined;
  }
  const store = await feature.services.storeFor(profile);
  const { key, created } = await createFolderIn(store, bucket, parent, value);
  feature.tree.refresh(container);
  feature.log.info(`${created ? 'Created' : 'Already there:'} folder ${placeText({ profile, bucket, key })}`);
  const place = { profile, bucket, key };
  void notify(
    'info',
    created
      ? vscode.l10n.t('Created folder {0} in {1}: {2}.', key, profile, bucket)
      : vscode.l10n.t('Folder {0} is already in {1}: {2}; left as it is.', key, profile, bucket),
    { reveal: place, log: false },
  );
  return key;
}
