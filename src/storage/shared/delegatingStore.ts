import type { CopyOptions, CopyResult, InventoryConfig, ObjectStore, PartCopySource, RequestOptions, UploadedPart } from '../types';
import { crcFromHeader } from './headers';

/**
 * What both stores share around their own SDK code: the server-side copies and the inventory
 * configurations live in each cloud's `copy.ts` and `inventory.ts`, whose functions take the store's
 * call path first (COS: `CosOps`, OSS: `OssCall`); the store methods only pass that path on.
 * Where the clouds differ (a one-time inventory run, appends, object meta) each store says so itself.
 */

/** A cloud's `copy.ts`. */
export interface CopyModule<Ops> {
  copyObject(ops: Ops, srcBucket: string, srcKey: string, dstBucket: string, dstKey: string, options?: CopyOptions): Promise<CopyResult>;
  uploadPartCopy(
    ops: Ops,
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    source: PartCopySource,
  ): Promise<UploadedPart>;
}

/** A cloud's `inventory.ts` (the configuration calls both clouds have). */
export interface InventoryModule<Ops> {
  putInventory(ops: Ops, bucket: string, config: InventoryConfig, options?: RequestOptions): Promise<void>;
  getInventory(ops: Ops, bucket: string, id: string, options?: RequestOptions): Promise<InventoryConfig>;
  listInventories(ops: Ops, bucket: string, options?: RequestOptions): Promise<InventoryConfig[]>;
  deleteInventory(ops: Ops, bucket: string, id: string, options?: RequestOptions): Promise<void>;
}

type Delegated = 'copyObject' | 'uploadPartCopy' | 'putInventory' | 'getInventory' | 'listInventories' | 'deleteInventory';

export abstract class DelegatingStore<Ops> implements Pick<ObjectStore, Delegated> {
  constructor(
    private readonly copyModule: CopyModule<Ops>,
    private readonly inventoryModule: InventoryModule<Ops>,
  ) {}

  /** The store's call path, handed to the cloud's modules. */
  protected abstract get ops(): Ops;

  copyObject(srcBucket: string, srcKey: string, dstBucket: string, dstKey: string, options?: CopyOptions): Promise<CopyResult> {
    return this.copyModule.copyObject(this.ops, srcBucket, srcKey, dstBucket, dstKey, options);
  }

  uploadPartCopy(bucket: string, key: string, uploadId: string, partNumber: number, source: PartCopySource): Promise<UploadedPart> {
    return this.copyModule.uploadPartCopy(this.ops, bucket, key, uploadId, partNumber, source);
  }

  putInventory(bucket: string, config: InventoryConfig, options?: RequestOptions): Promise<void> {
    return this.inventoryModule.putInventory(this.ops, bucket, config, options);
  }

  getInventory(bucket: string, id: string, options?: RequestOptions): Promise<InventoryConfig> {
    return this.inventoryModule.getInventory(this.ops, bucket, id, options);
  }

  listInventories(bucket: string, options?: RequestOptions): Promise<InventoryConfig[]> {
    return this.inventoryModule.listInventories(this.ops, bucket, options);
  }

  deleteInventory(bucket: string, id: string, options?: RequestOptions): Promise<void> {
    return this.inventoryModule.deleteInventory(this.ops, bucket, id, options);
  }
}

/** One `<Part>` of a ListParts answer, as both clouds' XML has it. */
export interface WirePart {
  PartNumber: string;
  ETag: string;
  Size?: string;
  HashCrc64ecma?: string;
}

/** One page of a ListParts answer. */
export interface PartPage {
  parts: readonly WirePart[];
  truncated: boolean;
  /** The marker of the next page. */
  next?: string;
}

/**
 * Every part of an upload, page after page, in part order. Stops when the answer is not truncated
 * or its next marker is missing or unchanged (a service that repeats a page would loop forever).
 */
export async function listAllParts(fetchPage: (marker: string | undefined) => Promise<PartPage>): Promise<UploadedPart[]> {
  const parts: UploadedPart[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await fetchPage(marker);
    parts.push(...page.parts.map(partFromWire));
    if (!page.truncated || !page.next || page.next === marker) break;
    marker = page.next;
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

function partFromWire(p: WirePart): UploadedPart {
  return {
    partNumber: Number(p.PartNumber),
    etag: p.ETag,
    size: p.Size === undefined ? undefined : Number(p.Size),
    crc64: crcFromHeader(p.HashCrc64ecma),
  };
}
