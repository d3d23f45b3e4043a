import { Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { LoadSummaryStore } from '@deload/dashboard';
import { QueuePayloads, QueueProcessor } from '@deload/queue';

type WarmResult = Awaited<ReturnType<LoadSummaryStore['warmStale']>>;

/**
 * The warm-up of the team page's stored figures: the runners stale when the job runs (not at its
 * slot: a retried job must not store figures of a day already over). Under an advisory lock, so a
 * round still running elsewhere makes this one a no-op (null); an error is retried by BullMQ.
 */
@QueueProcessor('load-summaries')
export class LoadSummariesProcessor extends WorkerHost {
  private readonly logger = new Logger(LoadSummariesProcessor.name);

  constructor(private readonly summaries: LoadSummaryStore) {
    super();
  }

  async process(_job: Job<QueuePayloads['load-summaries']>): Promise<WarmResult> {
    const result = await this.summaries.warmStale(new Date());
    if (result?.runners) this.logger.log(`load summaries of ${result.runners - result.failed} runners stored for their new local day`);
    // Those the page computes itself; the next round tries them again.
    if (result?.failed) this.logger.warn(`load summaries of ${result.failed} runners not stored`);
    return result;
  }
}
