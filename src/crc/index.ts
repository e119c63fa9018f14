export { crc64, crc64Update, Crc64Hasher, formatCrc64, parseCrc64 } from './crc64';
export { crc64Combine } from './combine';
export { type Crc64Kernel, type KernelName, defaultKernel, getKernel, useKernel } from './kernel';
