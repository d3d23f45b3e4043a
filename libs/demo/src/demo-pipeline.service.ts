import { Injectable } from '@nestjs/common';
import { AlertsRepository } from '@deload/persistence';
import { JobQueue, QueueName } from '@deload/queue';

/** The queues a demo runner's new runs and pain reports pass through before their emails exist. */
const PIPELINE: readonly QueueName[] = ['evaluate', 'notify'];
const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
/** The pipeline must look finished this long in a row (a job can hand over to the next queue in between). */
const SETTLED_FOR_MS = 1_500;

export interface PipelineState {
  pendingJobs: number;
  alertsAwaitingEmail: number;
}

/** Watches the real queues until everything the demo set off for its runners has been done. */
@Injectable()
export class DemoPipeline {
  constructor(
    private readonly jobs: JobQueue,
    private readonly alerts: AlertsRepository,
  ) {}

  async state(userIds: readonly string[]): Promise<PipelineState> {
    let pendingJobs = 0;
    for (const name of PIPELINE) {
      const jobs = await this.jobs.queue(name).getJobs([...PENDING_STATES]);
      pendingJobs += jobs.filter((job) => job && this.concerns(job.data as Record<string, string>, userIds)).length;
    }
    return { pendingJobs, alertsAwaitingEmail: await this.alerts.countAwaitingEmail(userIds) };
  }

  /** Resolves once nothing is pending for these users for a moment; rejects after `timeoutMs`. */
  async settled(userIds: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietSince: number | null = null;
    for (;;) {
      const state = await this.state(userIds);
      const quiet = state.pendingJobs === 0 && state.alertsAwaitingEmail === 0;
      quietSince = quiet ? (quietSince ?? Date.now()) : null;
      if (quietSince !== null && Date.now() - quietSince >= SETTLED_FOR_MS) return;
      if (Date.now() > deadline)
        throw new Error(
          `the pipeline did not finish within ${Math.round(timeoutMs / 1000)} s (${state.pendingJobs} jobs pending, ${state.alertsAwaitingEmail} alert emails not sent) — is Redis up, and is a worker running?`,
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Evaluations name their runner; an alert email job names only its alert, so every pending one counts. */
  private concerns(data: Record<string, string>, userIds: readonly string[]): boolean {
    return userIds.includes(data.userId) || data.alertId !== undefined;
  }
}
