import * as vscode from 'vscode';
import { deleteKeys, keysUnder } from '../../../storage/bucketOps';
import type { DeleteObjectsResult } from '../../../storage/types';
import { remoteBadgeKey } from '../../shared/badgeKeys';
import { commonFolder, notify, placeText } from '../../shared/notify';
import { withCancellableProgress } from '../../shared/progress';
import { nodeAt, type BucketsFeature } from '../bucketsFeature';
import { deleteConfirmation, type DeletePlan } from '../deletePlan';
import type { FolderNode, ObjectNode, TreeNode } from '../treeModel';

/** A delete plan with the tree nodes it came from (their parents are listed again afterwards). */
interface Plan extends DeletePlan {
  nodes: Array<ObjectNode | FolderNode>;
}

/** The objects and folders a command was given: the selection when the clicked node is part of it. */
async function pickedNodes(feature: BucketsFeature, clicked: unknown, selected: unknown): Promise<Array<ObjectNode | FolderNode>> {
  const list: unknown[] =
    Array.isArray(selected) && selected.length > 0 ? selected : clicked === undefined ? [...(feature.view?.selection ?? [])] : [clicked];
  const all = await Promise.all(list.map((a) => nodeAt(feature, a)));
  const nodes = all.filter((n): n is ObjectNode | FolderNode => n?.kind === 'object' || n?.kind === 'folder');
  // A node inside a picked folder is deleted with it.
  return nodes.filter(
    (n) =>
      !nodes.some(
        (f) =>
          f !== n &&
          f.kind === 'folder' &&
          f.location.bucket === n.location.bucket &&
          f.location.profile === n.location.profile &&
          n.location.key.startsWith(f.location.key),
      ),
  );
}

/**
 * `bucketIntegrity.deleteObjects` ("Delete…"): the objects and folders picked in the Buckets view (several
 * with multi-select). A folder is every key below its prefix, listed before asking; the modal confirmation
 * names the count and a few keys, and exactly the keys listed are deleted. `{ confirm: false }` skips the
 * question (for callers that asked already). Resolves to what was deleted, or undefined when nothing was.
 */
export async function deleteObjects(
  feature: BucketsFeature,
  clicked?: unknown,
  selected?: unknown,
  options?: { confirm?: boolean },
): Promise<DeleteObjectsResult | undefined> {
  const opts = options ?? (isOptions(selected) ? selected : undefined);
  const nodes = await pickedNodes(feature, clicked, isOptions(selected) ? undefined : selected);
  if (nodes.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Pick objects or folders in the Buckets view to delete them.'));
    return undefined;
  }
  const plans = await withCancellableProgress(vscode.l10n.t('Listing what to delete'), async (signal) =>
    planDelete(feature, nodes, signal),
  );
  if (!plans) return undefined;
  const total = plans.reduce((n, p) => n + p.keys.length, 0);
  if (total === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to delete: the folders picked hold no objects.'));
    return undefined;
  }
  if (opts?.confirm !== false) {
    const { message, detail } = deleteConfirmation(plans);
    if ((await vscode.window.showWarningMessage(message, { modal: true, detail }, vscode.l10n.t('Delete'))) !== vscode.l10n.t('Delete'))
      return undefined;
  }
  const result: DeleteObjectsResult = { deleted: [], failed: [] };
  await withCancellableProgress(
    total === 1 ? vscode.l10n.t('Deleting {0} object', total) : vscode.l10n.t('Deleting {0} objects', total),
    async (signal, report) => {
      for (const p of plans) {
        const store = await feature.services.storeFor(p.profile);
        const r = await deleteKeys(store, p.bucket, p.keys, {
          signal,
          onProgress: (d) => report(vscode.l10n.t('{0} of {1} in {2}', d.done, d.total, p.bucket)),
        });
        result.deleted.push(...r.deleted);
        result.failed.push(...r.failed);
        forget(feature, p, r);
      }
    },
  );
  afterDelete(feature, plans, result);
  return result;
}

function isOptions(v: unknown): v is { confirm?: boolean } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'confirm' in v;
}

async function planDelete(feature: BucketsFeature, nodes: ReadonlyArray<ObjectNode | FolderNode>, signal: AbortSignal): Promise<Plan[]> {
  const plans = new Map<string, Plan>();
  for (const node of nodes) {
    const { profile, bucket, key } = node.location;
    const id = `${profile}\n${bucket}`;
    let plan = plans.get(id);
    if (!plan) plans.set(id, (plan = { profile, bucket, keys: [], folders: [], nodes: [] }));
    plan.nodes.push(node);
    if (node.kind === 'object') {
      plan.keys.push(key);
      continue;
    }
    const store = await feature.services.storeFor(profile);
    const keys = await keysUnder(store, bucket, key, signal);
    plan.folders.push({ prefix: key, count: keys.length });
    plan.keys.push(...keys);
  }
  return [...plans.values()];
}

/** Badges of deleted objects go with them. */
function forget(feature: BucketsFeature, plan: Plan, r: DeleteObjectsResult): void {
  for (const key of r.deleted) feature.services.badges.delete(remoteBadgeKey(plan.profile, plan.bucket, key));
  for (const f of plan.folders) feature.services.badges.deleteUnder(remoteBadgeKey(plan.profile, plan.bucket, f.prefix));
}

function afterDelete(feature: BucketsFeature, plans: readonly Plan[], result: DeleteObjectsResult): void {
  for (const p of plans) {
    const failed = result.failed.filter((f) => p.keys.includes(f.key));
    feature.log.info(`Deleted ${p.keys.length - failed.length} object(s) from ${placeText({ profile: p.profile, bucket: p.bucket })}.`);
    for (const f of failed) feature.log.error(`NOT deleted ${p.bucket}/${f.key}: ${f.message}`);
    // Each container that held a deleted node is listed again.
    const parents = new Set<TreeNode>();
    for (const n of p.nodes) {
      const parent = feature.tree.model.parentOf(n);
      if (parent) parents.add(parent);
    }
    for (const parent of parents) {
      feature.tree.refresh(parent);
      feature.refreshed.fire(parent);
    }
  }
  const first = plans[0];
  const folder = commonFolder(first.keys);
  const where = plans.length === 1 ? placeText({ profile: first.profile, bucket: first.bucket, key: folder }) : `${plans.length} buckets`;
  const n = result.deleted.length;
  if (result.failed.length) {
    void notify(
      'error',
      vscode.l10n.t(
        'Deleted {0} object(s) from {1}; {2} NOT deleted ({3}: {4}).',
        n,
        where,
        result.failed.length,
        result.failed[0].key,
        result.failed[0].message,
      ),
    );
  } else {
    const what = n === 1 ? first.keys[0].slice(folder.length) || first.keys[0] : `${n} objects`;
    void notify('info', vscode.l10n.t('Deleted {0} from {1}.', what, where), { log: true });
  }
}
