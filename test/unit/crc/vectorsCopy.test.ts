import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORIGINAL_VECTORS_PATH, VECTORS_PATH } from '../../support/vectors';

describe('the repository copy of the crcmod vectors', () => {
  it('is present, so a fresh clone has its oracle', () => {
    const parsed = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as { vectors: unknown[]; combine: unknown[] };
    expect(parsed.vectors.length).toBeGreaterThan(0);
    expect(parsed.combine.length).toBeGreaterThan(0);
  });

  it.runIf(existsSync(ORIGINAL_VECTORS_PATH))('is byte-identical to the original beside the repository', () => {
    expect(readFileSync(VECTORS_PATH).equals(readFileSync(ORIGINAL_VECTORS_PATH))).toBe(true);
  });
});
