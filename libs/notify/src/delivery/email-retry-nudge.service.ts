import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Mailer } from '@deload/mail';
import { EMAIL_QUEUES, JobQueue } from '@deload/queue';

/** While SMTP is failing, ask it this often whether it answers again. */
export const SMTP_PROBE_MS = 10_000;

/**
 * Emails wait out an SMTP outage in their queue's backoff (up to EMAIL_RETRY_CAP_MS apart). This
 * makes them go as soon as the server answers again instead: after a failed send it probes the
 * server every SMTP_PROBE_MS, and when the server answers (or any send goes through) it promotes
 * the email jobs waiting for a retry, so they run now. Jobs delayed on purpose (a check-in's
 * PAIN_CHECKIN_DELAY_MIN) have not been tried yet and keep their time.
 */
@Injectable()
export class EmailRetryNudge implements OnApplicationShutdown {
  private readonly logger = new Logger(EmailRetryNudge.name);
  private probe?: NodeJS.Timeout;

  constructor(
    private readonly mailer: Mailer,
    private readonly jobs: JobQueue,
  ) {}

  /** A send failed for a passing reason (server down, 4xx): watch for the server to come back. */
  noteOutage(): void {
    if (this.probe || this.mailer.transport !== 'smtp') return;
    this.logger.warn(`SMTP is failing: emails wait for retries; asking the server every ${SMTP_PROBE_MS / 1000} s`);
    this.probe = setInterval(() => void this.checkServer(), SMTP_PROBE_MS);
    this.probe.unref();
  }

  /** A send went through: if an outage was being watched, it is over. */
  noteDelivered(): void {
    if (this.probe) void this.recovered();
  }

  /** Moves the email jobs that wait for a retry (tried at least once) to run now; returns how many. */
  async promoteRetries(): Promise<number> {
    let promoted = 0;
    for (const name of EMAIL_QUEUES) {
      for (const job of await this.jobs.queue(name).getDelayed()) {
        if (
          job.attemptsMade > 0 &&
          (await job.promote().then(
            () => true,
            () => false,
          ))
        )
          promoted += 1;
      }
    }
    return promoted;
  }

  onApplicationShutdown(): void {
    clearInterval(this.probe);
  }

  private async checkServer(): Promise<void> {
    if (await this.mailer.ping()) await this.recovered();
  }

  private async recovered(): Promise<void> {
    clearInterval(this.probe);
    this.probe = undefined;
    try {
      const promoted = await this.promoteRetries();
      this.logger.log(`SMTP answers again: ${promoted} waiting emails retried now`);
    } catch (error) {
      this.logger.warn(`SMTP answers again, but the waiting emails could not be moved up: ${(error as Error).message}`);
    }
  }
}
