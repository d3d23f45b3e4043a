import { Injectable } from '@nestjs/common';
import { AlertsRepository, EmailRequest } from '@deload/persistence';
import { JobQueue } from '@deload/queue';
import { retryFailedJob } from '../delivery/retry-failed-job';
import { alertDeliveryKey } from './alert-notifier.service';

/** A request this old without its email (or a decision not to send it) was lost on the way: enqueue it again. */
export const SWEEP_AFTER_MS = 2 * 60_000;
const SWEEP_BATCH = 500;

/**
 * Puts alert emails on the `notify` queue: right after an evaluation, and from a sweeper that
 * finds requests whose job never ran (Redis was down, a process died between commit and enqueue).
 * Job ids are deterministic per alert and request, so a request is never queued twice.
 */
@Injectable()
export class AlertEmailRequests {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly jobs: JobQueue,
  ) {}

  /** Enqueues the alerts among `alertIds` that are waiting for their email. */
  async enqueue(alertIds: readonly string[]): Promise<number> {
    if (!alertIds.length) return 0;
    const rows = await this.alerts.awaitingEmailAmong(alertIds);
    await this.add(rows);
    return rows.length;
  }

  /** Re-enqueues requests older than SWEEP_AFTER_MS that were neither sent nor deliberately skipped. */
  async sweep(now = new Date()): Promise<number> {
    const rows = await this.alerts.unansweredEmailRequests(new Date(now.getTime() - SWEEP_AFTER_MS), SWEEP_BATCH);
    await this.add(rows);
    return rows.length;
  }

  private async add(rows: EmailRequest[]): Promise<void> {
    for (const row of rows) {
      const jobId = `alert-${alertDeliveryKey(row.id, row.notifyRequestedAt)}`;
      if (!(await retryFailedJob(this.jobs, 'notify', jobId))) await this.jobs.add('notify', { alertId: row.id }, { jobId });
    }
  }
}
