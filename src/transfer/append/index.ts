/** Verified OSS appends: new bytes of a growing local file, checked by combining CRC-64s, nothing re-read. */
export { appendFile } from './appendFile';
export * from './types';
