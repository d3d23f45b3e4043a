import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { LoadSummaryStore } from '@deload/dashboard';

/**
 * Keeps the team page's stored figures warm across each runner's local midnight: every 15 minutes
 * (a minute after each quarter hour, when midnight has passed somewhere) the runners whose stored
 * summary is of an earlier local day are recomputed in small batches (LoadSummaryStore.warmStale).
 * Unlike the other crons it does the work itself rather than enqueue it: it is short, idempotent,
 * and an advisory lock lets one worker do it while the others skip the round.
 */
@Injectable()
export class LoadSummariesCron {
  private readonly logger = new Logger(LoadSummariesCron.name);

  constructor(private readonly summaries: LoadSummaryStore) {}

  @Cron('1,16,31,46 * * * *', { name: 'load-summaries-warm', timeZone: 'UTC' })
  async warm(now = new Date()): Promise<void> {
    try {
      const result = await this.summaries.warmStale(now);
      if (result?.runners) this.logger.log(`load summaries of ${result.runners - result.failed} runners stored for their new local day`);
      // Those the page computes itself; the next round tries them again.
      if (result?.failed) this.logger.warn(`load summaries of ${result.failed} runners not stored`);
    } catch (error) {
      // Nothing is lost: the team page computes what is not stored, and the next round tries again.
      this.logger.warn(`load summaries not warmed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
