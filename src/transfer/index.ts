/** Verified transfers: uploads with per-part CRC-64 checks and resume, downloads checked before they land. */
export * from './planner';
export * from './bufferPool';
export * from './checkpoint';
export * from './upload';
export * from './downloader';
export * from './folderUpload';
export * from '../util/keySafety';
export * from './progress';
export * from './remoteUrl';
