import type { VerifySummary } from '../../integrity/verify/engine';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { BucketsView } from '../shared/bucketsView';
import type { ReportDocuments } from '../shared/reportDocuments';

/** A bucket or a prefix in it (`key` '' or ending with '/'). */
export interface VerifyTarget {
  profile: string;
  bucket: string;
  prefix: string;
}

/** A finished verify, kept so its report can still be exported (its issues stay in the record). */
export interface FinishedVerify {
  target: VerifyTarget;
  /** e.g. `cos://bucket/prefix/`. */
  remote: string;
  localDir?: string;
  summary: VerifySummary;
  checkedAt: Date;
}

/** What the inventory and verify commands share. */
export interface VerifyFeature {
  readonly services: Pick<Services, 'storeFor' | 'profiles' | 'record' | 'hashPool' | 'localCrcs' | 'badges' | 'logger' | 'results'>;
  /** The Buckets view, for its selection when a command runs without an argument. */
  readonly buckets?: BucketsView;
  readonly log: Logger;
  readonly reports: ReportDocuments;
  /** The last verify that finished, for "Export Verify Report". */
  last?: FinishedVerify;
}
