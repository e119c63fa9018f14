import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The independent CRC-64 oracle: vectors made with crcmod (the vendors' own library) and checked with
 * xz. The repository keeps a copy (test/fixtures/crc64, see its README); never regenerated from this
 * project's code.
 */
export const VECTORS_PATH = join(__dirname, '..', 'fixtures', 'crc64', 'crc64-vectors.json');

/** The original beside the repository, when a checkout has it: the copy must stay byte-identical. */
export const ORIGINAL_VECTORS_PATH = join(__dirname, '..', '..', '..', 'shared', 'testdata', 'crc64-vectors.json');

export type VectorGen =
  { kind: 'hex'; hex: string } | { kind: 'fill'; byte: number; length: number } | { kind: 'lcg'; seed: number; length: number };

export interface CrcVector {
  name: string;
  gen: VectorGen;
  length: number;
  crc64: string;
}

export interface CombineVector {
  name: string;
  part1: string;
  part2: string;
  len1: number;
  len2: number;
  crc1: string;
  crc2: string;
  crc: string;
}

interface VectorFile {
  vectors: CrcVector[];
  combine: CombineVector[];
}

let loaded: VectorFile | undefined;

export function loadVectors(): VectorFile {
  loaded ??= JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as VectorFile;
  return loaded;
}

/** Bytes of the fixture's 32-bit LCG: s = s*1103515245 + 12345 mod 2^32, emit (s >> 16) & 0xff. */
export function lcgBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s >>> 16) & 0xff;
  }
  return out;
}

export function vectorBytes(gen: VectorGen): Uint8Array {
  switch (gen.kind) {
    case 'hex':
      return new Uint8Array(Buffer.from(gen.hex, 'hex'));
    case 'fill':
      return new Uint8Array(gen.length).fill(gen.byte);
    case 'lcg':
      return lcgBytes(gen.seed, gen.length);
  }
}
