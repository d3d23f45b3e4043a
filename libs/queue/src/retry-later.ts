import { DelayedError, Job } from 'bullmq';

/**
 * Thrown by a service that cannot do its work yet (an API budget is spent until a known time).
 * Not a failure: the job waits until `at` and runs again without using up one of its attempts.
 */
export class RetryLaterError extends Error {
  constructor(
    readonly at: Date,
    reason: string,
  ) {
    super(`${reason}; retrying at ${at.toISOString()}`);
    this.name = 'RetryLaterError';
  }
}

/**
 * Runs a processor's work; when it throws RetryLaterError the job is moved to the delayed set
 * until then (BullMQ's moveToDelayed + DelayedError) — never dropped, never spinning.
 */
export async function deferIfAskedTo<T>(job: Job, token: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RetryLaterError)) throw error;
    await job.moveToDelayed(Math.max(error.at.getTime(), Date.now() + 1), token);
    throw new DelayedError(error.message);
  }
}
