import { Module } from '@nestjs/common';
import { LoadSummariesModule } from '@deload/dashboard';
import { EvaluationModule } from '@deload/evaluation';
import { DailyEvaluationCron } from './daily-evaluation.cron';
import { EvaluateDailyProcessor } from './evaluate-daily.processor';
import { EvaluateProcessor } from './evaluate.processor';
import { LoadSummariesCron } from './load-summaries.cron';
import { LoadSummariesProcessor } from './load-summaries.processor';

/**
 * Evaluating runners: one runner (`evaluate`), the daily fan-out (`evaluate-daily`) and its cron;
 * and the team page's stored figures, refreshed after each evaluation and across local midnights
 * (`load-summaries` and its cron).
 */
@Module({
  imports: [EvaluationModule, LoadSummariesModule],
  providers: [EvaluateProcessor, EvaluateDailyProcessor, DailyEvaluationCron, LoadSummariesProcessor, LoadSummariesCron],
})
export class EvaluationWorkerModule {}
