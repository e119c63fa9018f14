/** Why an inventory cannot be used; callers fall back to one HEAD per object (and say what that costs). */
export type InventoryErrorKind = 'not-found' | 'no-crc64-field' | 'bad-manifest' | 'current-only';

export class InventoryError extends Error {
  constructor(
    readonly kind: InventoryErrorKind,
    message: string,
    readonly hint?: string,
    /** Objects the inventory lists, when the manifest says (for a HEAD cost estimate). */
    readonly objectCount?: number,
  ) {
    super(message);
    this.name = 'InventoryError';
  }
}
