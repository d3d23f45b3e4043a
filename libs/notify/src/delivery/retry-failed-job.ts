import { JobQueue, QueueName } from '@deload/queue';

/** A job that used up its retries (SMTP down for hours) is retried this long after it gave up. */
export const RETRY_FAILED_AFTER_MS = 30 * 60_000;

/**
 * Sweepers re-add work with the job's deterministic id, which BullMQ ignores while a job with that
 * id exists — also a failed one. So a job that gave up is retried instead: no email is dropped
 * because the mail server was down longer than the backoff lasted. True when the job exists.
 */
export async function retryFailedJob(jobs: JobQueue, queue: QueueName, jobId: string, now = Date.now()): Promise<boolean> {
  const job = await jobs.queue(queue).getJob(jobId);
  if (!job) return false;
  if ((await job.isFailed()) && now - (job.finishedOn ?? 0) >= RETRY_FAILED_AFTER_MS)
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  return true;
}
