/**
 * @deload/pain-reports — pain reports per run: from the runner (web, API, email check-in) and from
 * pain tags in a run's title or description; the "how did it feel?" check-in after a run.
 */
export { observationFor, onsetBuckets, readCheckinAnswer, type CheckinAnswer, type OnsetBucket } from './checkin-answers';
export {
  ADJUST_PURPOSE,
  CHECKIN_PURPOSE,
  CHECKIN_VALID_DAYS,
  PainCheckins,
  RECENT_RUN_HOURS,
  type CheckinContext,
  type CheckinDecision,
} from './pain-checkins.service';
export { describeRun } from './run-label';
export {
  describeReport,
  PAIN_LOCATION_CHOICES,
  painFormToInput,
  painFormValues,
  painFormView,
  type PainFormFields,
  type PainFormValues,
  type PainFormView,
  type ReportShown,
} from './pain-form';
export { PainIntake, type StoredRun } from './pain-intake.service';
export { painReportInputSchema, parsePainReportInput, type PainReportInput } from './pain-report.input';
export { PainReportsService, type ExplicitPainSource } from './pain-reports.service';
export { PainReportsModule } from './pain-reports.module';
