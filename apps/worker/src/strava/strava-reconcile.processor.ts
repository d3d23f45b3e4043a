import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { deferIfAskedTo, QueuePayloads, QueueProcessor } from '@deload/queue';
import { ReconcileResult, StravaReconciliation } from '@deload/strava';

/** Reconciliation: without a user it queues one job per runner not reconciled in two weeks. */
@QueueProcessor('strava-reconcile')
export class StravaReconcileProcessor extends WorkerHost {
  constructor(private readonly reconciliation: StravaReconciliation) {
    super();
  }

  async process(job: Job<QueuePayloads['strava-reconcile']>, token?: string): Promise<ReconcileResult | { queued: number }> {
    const { userId, day } = job.data;
    return deferIfAskedTo(job, token, async () =>
      userId ? this.reconciliation.reconcileIfStillDue(userId) : { queued: await this.reconciliation.queueDaily(day) },
    );
  }
}
