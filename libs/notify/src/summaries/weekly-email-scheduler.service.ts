import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobQueue, QueueName, QueuePayloads } from '@deload/queue';
import { retryFailedJob } from '../delivery/retry-failed-job';

/** Weekly emails go out from this local hour on Monday. */
export const WEEKLY_EMAIL_HOUR = 7;

/**
 * Finds who is due a weekly email — it is Monday, WEEKLY_EMAIL_HOUR or later, in their time zone
 * (UTC when the stored zone is unknown), and this week's email was neither sent nor skipped — and
 * queues it with a deterministic job id per person and week. Run hourly by the worker's cron; any
 * number of workers may run it at once.
 */
@Injectable()
export class WeeklyEmailScheduler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  async enqueueDue(now = new Date()): Promise<{ summaries: number; digests: number }> {
    const summaries = await this.due(now, 'weekly-summary', `u.email_weekly_summary AND u.role IN ('runner', 'both')`);
    for (const { id, week } of summaries) await this.add('weekly-summary', { userId: id, week }, `summary-${id}-${week}`);
    const digests = await this.due(
      now,
      'coach-digest',
      `u.email_coach_digest AND u.role IN ('coach', 'both') AND EXISTS (SELECT 1 FROM teams t WHERE t.coach_id = u.id)`,
    );
    for (const { id, week } of digests) await this.add('coach-digest', { coachId: id, week }, `digest-${id}-${week}`);
    return { summaries: summaries.length, digests: digests.length };
  }

  /** People whose local time is Monday after the hour, with the ISO week that just ended there. */
  private async due(now: Date, kind: string, condition: string): Promise<{ id: string; week: string }[]> {
    return this.dataSource.query(
      `WITH zones AS (SELECT name FROM pg_timezone_names),
            local AS (
              SELECT u.id, ($1::timestamptz AT TIME ZONE coalesce((SELECT name FROM zones WHERE name = u.timezone), 'UTC')) AS at
                FROM users u WHERE ${condition})
       SELECT id, to_char(at - interval '7 days', 'IYYY-"W"IW') AS week FROM local
        WHERE extract(isodow FROM at) = 1 AND extract(hour FROM at) >= $2
          AND NOT EXISTS (SELECT 1 FROM email_deliveries d WHERE d.kind = $3 AND d.status IN ('sent', 'skipped')
                            AND d.dedupe_key = local.id::text || '-' || to_char(at - interval '7 days', 'IYYY-"W"IW'))`,
      [now, WEEKLY_EMAIL_HOUR, kind],
    );
  }

  private async add<N extends QueueName>(queue: N, payload: QueuePayloads[N], jobId: string): Promise<void> {
    if (!(await retryFailedJob(this.jobs, queue, jobId))) await this.jobs.add(queue, payload, { jobId });
  }
}
