import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { InventoryConfig } from './config';

/** An inventory configuration as stored: what a run needs, and the XML as the client sent it. */
export interface StoredInventory {
  config: InventoryConfig;
  xml: string;
}

/** The inventory configurations of each bucket, kept in `<bucket folder>/inventory.json`. */
export class InventoryRegistry {
  private readonly byBucket = new Map<string, Map<string, StoredInventory>>();
  /** COS one-time inventories submitted, `<bucket folder>\n<id>` → the UTC day (YYYY-MM-DD) of the last one. */
  private readonly once = new Map<string, string>();

  /** Record a one-time inventory; false when the same id was already submitted this UTC day. */
  submitOnce(bucket: { dir: string }, id: string, now: Date): boolean {
    const k = `${bucket.dir}\n${id}`;
    const day = now.toISOString().slice(0, 10);
    if (this.once.get(k) === day) return false;
    this.once.set(k, day);
    return true;
  }

  private async load(dir: string): Promise<Map<string, StoredInventory>> {
    let m = this.byBucket.get(dir);
    if (m) return m;
    m = new Map();
    try {
      const list = JSON.parse(await fsp.readFile(join(dir, 'inventory.json'), 'utf8')) as StoredInventory[];
      for (const s of list) m.set(s.config.id, s);
    } catch {
      // No configuration yet.
    }
    this.byBucket.set(dir, m);
    return m;
  }

  private async save(dir: string, m: Map<string, StoredInventory>): Promise<void> {
    await fsp.writeFile(join(dir, 'inventory.json'), JSON.stringify([...m.values()]));
  }

  /** All configurations of a bucket, by id. */
  async list(bucket: { dir: string }): Promise<StoredInventory[]> {
    return [...(await this.load(bucket.dir)).values()].sort((a, b) => (a.config.id < b.config.id ? -1 : a.config.id > b.config.id ? 1 : 0));
  }

  async get(bucket: { dir: string }, id: string): Promise<StoredInventory | undefined> {
    return (await this.load(bucket.dir)).get(id);
  }

  async put(bucket: { dir: string }, stored: StoredInventory): Promise<void> {
    const m = await this.load(bucket.dir);
    m.set(stored.config.id, stored);
    await this.save(bucket.dir, m);
  }

  /** Remove a configuration; false if there was none. */
  async delete(bucket: { dir: string }, id: string): Promise<boolean> {
    const m = await this.load(bucket.dir);
    if (!m.delete(id)) return false;
    await this.save(bucket.dir, m);
    return true;
  }

  /** Forget a deleted bucket's configurations. */
  forget(bucket: { dir: string }): void {
    this.byBucket.delete(bucket.dir);
  }
}
