export {
  verifyJournal,
  verifyPrefix,
  verifyRunId,
  type RequestCounts,
  type VerifyRunState,
  type VerifyOptions,
  type VerifyProgress,
  type VerifySummary,
} from './engine';
export { LocalFiles, recordHasher } from './local';
export {
  combinedLine,
  COMBINED_SYMBOL,
  emptyCounts,
  VERIFY_STATUSES,
  type VerifyCounts,
  type VerifyResult,
  type VerifyStatus,
} from './outcome';
export { countsLine, reportText, writeReport, type ReportTarget } from './report';
