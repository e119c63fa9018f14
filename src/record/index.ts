export {
  CrcRecord,
  needsHead,
  type BriefObject,
  type ListedObject,
  type ObjectUpdate,
  type OpenOptions,
  type RecordedObject,
  type RecordSource,
  type Scope,
} from './record';
export { RecordError, type RecordErrorKind } from './errors';
export { compareKeys, normalizeEtag } from './keyOrder';
export { LocalFileStore } from './localFiles';
export { RecordedObjects } from './objects';
export { RunJournal } from './runJournal';
