import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  /** Enqueues the alerts among `alertIds` that are waiting for their email. */
  async enqueue(alertIds: readonly string[]): Promise<number> {
    if (!alertIds.length) return 0;
    const rows: { id: string; notify_requested_at: Date }[] = await this.dataSource.query(
      `SELECT id, notify_requested_at FROM alerts
        WHERE id = ANY($1::uuid[]) AND notify_requested_at IS NOT NULL
          AND (notified_at IS NULL OR notified_at < notify_requested_at)`,
      [alertIds],
    );
    await this.add(rows);
    return rows.length;
  }

  /** Re-enqueues requests older than SWEEP_AFTER_MS that were neither sent nor deliberately skipped. */
  async sweep(now = new Date()): Promise<number> {
    const rows: { id: string; notify_requested_at: Date }[] = await this.dataSource.query(
      `SELECT a.id, a.notify_requested_at FROM alerts a
        WHERE a.notify_requested_at IS NOT NULL
          AND (a.notified_at IS NULL OR a.notified_at < a.notify_requested_at)
          AND a.state = 'open'
          AND a.notify_requested_at < $1
          AND NOT EXISTS (
            SELECT 1 FROM email_deliveries d
             WHERE d.kind = 'alert' AND d.status IN ('sent', 'skipped')
               AND d.dedupe_key = a.id::text || '-' || floor(extract(epoch FROM a.notify_requested_at) * 1000)::bigint::text)
        ORDER BY a.notify_requested_at
        LIMIT ${SWEEP_BATCH}`,
      [new Date(now.getTime() - SWEEP_AFTER_MS)],
    );
    await this.add(rows);
    return rows.length;
  }

  private async add(rows: { id: string; notify_requested_at: Date }[]): Promise<void> {
    for (const row of rows) {
      const jobId = `alert-${alertDeliveryKey(row.id, row.notify_requested_at)}`;
      if (!(await retryFailedJob(this.jobs, 'notify', jobId))) await this.jobs.add('notify', { alertId: row.id }, { jobId });
    }
  }
}
