/**
 * Multipart part planning: a pure function of the file size and the wanted part size, so the limits
 * (10,000 parts, 1 MiB minimum except the last, 5 GiB maximum) are testable for any size without a file.
 */

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** Service limits shared by COS and OSS multipart uploads. */
export const MAX_PARTS = 10_000;
export const DEFAULT_MIN_PART_SIZE = 1 * MiB;
export const MAX_PART_SIZE = 5 * GiB;

export interface PartPlanOptions {
  /** The part size asked for (from the setting), in bytes. Raised when the file would need too many parts. */
  partSize: number;
  /**
   * Smallest allowed part (every part but the last). Defaults to the services' 1 MiB; tests lower it
   * together with the emulator's limit to exercise many parts with little data.
   */
  minPartSize?: number;
  maxParts?: number;
  maxPartSize?: number;
}

export interface PlannedPart {
  /** 1-based, as the services number parts. */
  partNumber: number;
  offset: number;
  length: number;
}

export interface PartPlan {
  partSize: number;
  partCount: number;
  /** True when the requested part size was raised to stay within `maxParts`. */
  raised: boolean;
}

/**
 * Choose the part size and count for a file of `size` bytes.
 * The size is raised to a whole MiB (or whole `minPartSize` when that is smaller) so part boundaries stay
 * readable. Throws `RangeError` when the file cannot fit in `maxParts` parts of `maxPartSize`.
 */
export function planParts(size: number, options: PartPlanOptions): PartPlan {
  const minPartSize = options.minPartSize ?? DEFAULT_MIN_PART_SIZE;
  const maxParts = options.maxParts ?? MAX_PARTS;
  const maxPartSize = options.maxPartSize ?? MAX_PART_SIZE;
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid file size: ${size}`);
  if (!(options.partSize > 0)) throw new RangeError(`Invalid part size: ${options.partSize}`);
  if (size > maxParts * maxPartSize) {
    throw new RangeError(`The file is too large for a multipart upload: ${size} bytes exceeds ${maxParts} parts of ${maxPartSize} bytes.`);
  }
  let partSize = Math.min(Math.max(Math.floor(options.partSize), minPartSize), maxPartSize);
  let raised = false;
  if (Math.ceil(size / partSize) > maxParts) {
    const granule = Math.min(MiB, minPartSize);
    const needed = Math.ceil(size / maxParts);
    partSize = Math.min(Math.ceil(needed / granule) * granule, maxPartSize);
    raised = true;
  }
  // A 0-byte file still needs one (empty) part to complete a multipart upload.
  const partCount = Math.max(1, Math.ceil(size / partSize));
  return { partSize, partCount, raised };
}

/** Offset and length of part `partNumber` (1-based) in a plan for a file of `size` bytes. */
export function partRange(plan: PartPlan, size: number, partNumber: number): PlannedPart {
  const offset = (partNumber - 1) * plan.partSize;
  const length = Math.max(0, Math.min(plan.partSize, size - offset));
  return { partNumber, offset, length };
}

/** Every part of a plan, in order. */
export function listParts(plan: PartPlan, size: number): PlannedPart[] {
  const parts: PlannedPart[] = [];
  for (let n = 1; n <= plan.partCount; n++) parts.push(partRange(plan, size, n));
  return parts;
}
