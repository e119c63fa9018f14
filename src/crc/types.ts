/** The shapes the CRC-64 kernels share, apart from the kernel selection so each kernel can name them. */

export type KernelName = 'wasm' | 'js';

export interface Crc64Kernel {
  readonly name: KernelName;
  /** Update the raw (inverted) register over `bytes`; any length, any alignment. */
  update(raw: bigint, bytes: Uint8Array): bigint;
}
