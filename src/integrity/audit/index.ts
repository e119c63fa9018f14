export {
  auditBuckets,
  auditJournal,
  auditRunId,
  type AuditOptions,
  type AuditProgress,
  type AuditRequests,
  type AuditState,
  type AuditSummary,
} from './engine';
export { AUDIT_DETAIL, judgeObjects, type AuditResult } from './judge';
export {
  AUDIT_CSV_HEADER,
  auditBasisText,
  auditCombinedLine,
  auditCsvRow,
  auditReportText,
  requestsText,
  writeAuditReport,
  type AuditTarget,
} from './report';
export { sidePages, type AuditSide, type SideEntry, type SideRequests } from './side';
export { auditPlaces, reportAgeWarning, type PlaceCheck } from './places';
export {
  findReport,
  isUnstreamable,
  reportsAlone,
  reportsKnown,
  reportWarnings,
  unstreamableText,
  type StreamedReport,
} from './streamedReports';
