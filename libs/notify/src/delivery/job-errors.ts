import { UnrecoverableError } from 'bullmq';
import { MailTransportError } from '@deload/mail';

/**
 * What a processor rethrows when sending failed: a permanent SMTP refusal (5xx) fails the job at
 * once (retrying cannot help; the sweeper tries again much later), anything else is retried with
 * the queue's backoff.
 */
export function asJobError(error: unknown): unknown {
  if (error instanceof MailTransportError && error.permanent) return new UnrecoverableError(error.message);
  return error;
}
