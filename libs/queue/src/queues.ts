import type { BackoffStrategy, DefaultJobOptions } from 'bullmq';

/** Why a runner's alerts are re-evaluated (for logs; every reason runs the same evaluation). */
export type EvaluateReason = 'runs' | 'pain' | 'shoes' | 'settings' | 'daily';

/**
 * The one registry of queues: name, typed payload and retry policy side by side.
 * Adding a queue: add its payload to QueuePayloads and its entry to QUEUES, then give it a
 * processor in apps/worker (decorated with @QueueProcessor) — the worker refuses to start
 * while any declared queue has no processor.
 * Job ids must not contain ':' (BullMQ reserves it); use '-' between parts.
 */
export interface QueuePayloads {
  /** A Strava push event, recorded in the webhook_events inbox first; job id `strava-event-<inbox id>`. */
  'strava-event': { eventId: string };
  /**
   * A new connection's history. Progress lives in the payload (updated as pages are stored) so a
   * job delayed by the rate limit resumes where it stopped. `after`: epoch seconds; `pending`:
   * activities to read in detail once the list is done; `detailIds`: those still to read.
   */
  'strava-backfill': { userId: string; connectionId: string; after: number; page: number; pending?: string[]; detailIds?: string[] };
  /** Shoes from Strava: one runner's, or every connected runner's when `userId` is absent. `day` (YYYY-MM-DD) is in the job id. */
  'strava-gear': { userId?: string; day: string };
  /** The daily reconciliation of one runner's recent Strava activities, or the fan-out to every runner when `userId` is absent. */
  'strava-reconcile': { userId?: string; day: string };
  /**
   * Decode and store the files of one upload (the `uploads` row and its bytes in upload_chunks,
   * written by the api); job id `upload-<uploadId>`. The api never decodes: it answers 202 at once.
   */
  'fit-ingest': { uploadId: string };
  /** Run the rules engine for one runner and apply the alert lifecycle (libs/evaluation). */
  evaluate: { userId: string; reason: EvaluateReason };
  /** The daily fan-out: enqueue `evaluate` for every active runner (one job per UTC date). */
  'evaluate-daily': { day: string };
  /** Email an alert the lifecycle marked for sending (alerts.notify_requested_at). */
  notify: { alertId: string };
  /** The "how did it feel?" email after a new run. */
  'pain-checkin': { runId: string };
  /** A runner's weekly summary; `week` is the ISO week it covers, e.g. "2025-W10". */
  'weekly-summary': { userId: string; week: string };
  /** A coach's weekly digest of their teams; `week` as above. */
  'coach-digest': { coachId: string; week: string };
  /** Daily deletion of expired sessions, used links and old handled webhook events; `day` is in the job id. */
  housekeeping: { day: string };
  /**
   * Warm the team page's stored figures of the runners whose local day changed (LoadSummaryStore.warmStale);
   * `slot`: the quarter hour that scheduled it (ISO, UTC), one job per slot (id `load-summaries-2026-12-03T19-45`).
   */
  'load-summaries': { slot: string };
}

export type QueueName = keyof QueuePayloads;

export interface QueueDefinition {
  /** Merged over DEFAULT_JOB_OPTIONS. */
  jobOptions?: DefaultJobOptions;
  /** Jobs one worker process runs at once on this queue. */
  concurrency?: number;
}

/** Retry with backoff and keep failures for inspection: no job is silently dropped. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: false,
};

/** The custom backoff of email jobs: doubling from 2 s, never more than EMAIL_RETRY_CAP_MS apart. */
export const CAPPED_EXPONENTIAL = 'capped-exponential';
/** After an SMTP outage an email waits at most this long for its next try (and is nudged at once when SMTP answers again). */
export const EMAIL_RETRY_CAP_MS = 5 * 60_000;
const EMAIL_RETRY_BASE_MS = 2_000;

/** The worker's strategy for `{ type: CAPPED_EXPONENTIAL }` (BullMQ asks the worker for custom backoffs). */
export const backoffStrategy: BackoffStrategy = (attemptsMade) =>
  Math.min(EMAIL_RETRY_BASE_MS * 2 ** Math.max(0, attemptsMade - 1), EMAIL_RETRY_CAP_MS);

/**
 * Email jobs: SMTP may be down for a while. 40 tries, 2 s doubling up to 5 minutes apart (about
 * 2¾ hours); a job that still failed is retried by the email sweepers 30 minutes later.
 */
const EMAIL_JOB_OPTIONS: DefaultJobOptions = { attempts: 40, backoff: { type: CAPPED_EXPONENTIAL } };

/** Queues whose jobs send email (the ones nudged when SMTP answers again). */
export const EMAIL_QUEUES = ['notify', 'pain-checkin', 'weekly-summary', 'coach-digest'] as const satisfies readonly QueueName[];

export const QUEUES: Record<QueueName, QueueDefinition> = {
  'strava-event': { concurrency: 4 },
  'strava-backfill': { concurrency: 2 },
  'strava-gear': { concurrency: 2 },
  'strava-reconcile': { concurrency: 2 },
  // Each import decodes in the decoder's own threads; two at once keep one runner's export from holding up everyone's upload.
  'fit-ingest': { concurrency: 2, jobOptions: { backoff: { type: 'exponential', delay: 1_000 } } },
  evaluate: { concurrency: 4 },
  'evaluate-daily': { concurrency: 1 },
  notify: { jobOptions: EMAIL_JOB_OPTIONS, concurrency: 4 },
  'pain-checkin': { jobOptions: EMAIL_JOB_OPTIONS, concurrency: 2 },
  'weekly-summary': { jobOptions: EMAIL_JOB_OPTIONS, concurrency: 2 },
  'coach-digest': { jobOptions: EMAIL_JOB_OPTIONS, concurrency: 1 },
  housekeeping: { concurrency: 1 },
  // A retry within the quarter hour; a round that still fails loses nothing (the page computes what is not stored, the next slot redoes it).
  'load-summaries': { concurrency: 1, jobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 } } },
};

/** The `notify` job of one alert email request; the same key as the email's ledger row (libs/notify alertDeliveryKey). */
export function notifyJobId(alertId: string, requestedAt: Date): string {
  return `alert-${alertId}-${requestedAt.getTime()}`;
}

export function queueNames(): QueueName[] {
  return Object.keys(QUEUES) as QueueName[];
}

export function jobOptionsFor(queue: QueueName): DefaultJobOptions {
  return { ...DEFAULT_JOB_OPTIONS, ...(QUEUES as Record<string, QueueDefinition>)[queue]?.jobOptions };
}
