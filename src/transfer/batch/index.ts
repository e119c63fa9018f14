/** Batches of uploads and downloads (files, folders, objects, prefixes) with one report and summed progress. */
export { downloadBatch, downloadPrefix, type DownloadBatchItem, type DownloadBatchOptions, type PrefixDownloadOptions } from './download';
export { keyFor, uploadBatch, uploadFolder, type FolderUploadOptions, type UploadBatchItem, type UploadBatchOptions } from './upload';
export type { BatchOutcome, BatchProgress, BatchReport, FileOutcome } from './types';
