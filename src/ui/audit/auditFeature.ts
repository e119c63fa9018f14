import type { AuditSummary, AuditTarget } from '../../integrity/audit';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { BucketsView } from '../shared/bucketsView';
import type { ReportDocuments } from '../shared/reportDocuments';

/** One side of Compare with Bucket: a profile's bucket and a prefix in it ('' or ending in '/'). */
export interface AuditPlace {
  profile: string;
  bucket: string;
  prefix: string;
}

/** A finished audit, kept so its report can still be exported (its issues stay in the record). */
export interface FinishedAudit {
  first: AuditPlace;
  second: AuditPlace;
  target: AuditTarget;
  summary: AuditSummary;
  report: string;
}

export interface AuditFeature {
  readonly services: Pick<Services, 'storeFor' | 'profiles' | 'record' | 'badges' | 'logger' | 'results'>;
  readonly buckets?: BucketsView;
  readonly log: Logger;
  readonly reports: ReportDocuments;
  /** The last audit that finished, for Export. */
  last?: FinishedAudit;
}
