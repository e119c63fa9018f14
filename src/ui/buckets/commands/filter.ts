import * as vscode from 'vscode';
import { nodeOf, type BucketsFeature } from '../bucketsFeature';
import { prefixOf, type ContainerNode } from '../treeModel';

function containerOf(feature: BucketsFeature, arg: unknown): ContainerNode | undefined {
  const node = nodeOf(feature, arg);
  return node && (node.kind === 'bucket' || node.kind === 'folder') ? node : undefined;
}

/**
 * `bucketIntegrity.filterPrefix`: show only the keys below a bucket or folder that start with some text
 * (the service filters, so it works on prefixes of any size). `text` skips the prompt; '' clears.
 */
export async function filterPrefix(feature: BucketsFeature, arg: unknown, text?: unknown): Promise<void> {
  const node = containerOf(feature, arg);
  if (!node) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick a bucket or a folder in the Buckets view to filter it.'));
    return;
  }
  let value = typeof text === 'string' ? text : undefined;
  if (value === undefined) {
    value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Filter {0}/{1}', node.location.bucket, prefixOf(node)),
      prompt: prefixOf(node)
        ? vscode.l10n.t('Show only keys that start with "{0}" + this text (empty: show all)', prefixOf(node))
        : vscode.l10n.t('Show only keys that start with this text (empty: show all)'),
      value: feature.tree.model.filterOf(node) ?? '',
      placeHolder: 'e.g. 2024-',
    });
    if (value === undefined) return;
  }
  feature.tree.model.setFilter(node, value);
  feature.tree.fire(node);
  feature.log.info(
    value
      ? `Filter "${value}" on ${node.location.bucket}/${prefixOf(node)}`
      : `Filter cleared on ${node.location.bucket}/${prefixOf(node)}`,
  );
}

/** `bucketIntegrity.clearFilter`. */
export async function clearFilter(feature: BucketsFeature, arg: unknown): Promise<void> {
  await filterPrefix(feature, arg, '');
}
