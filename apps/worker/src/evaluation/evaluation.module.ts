import { Module } from '@nestjs/common';
import { LoadSummariesModule } from '@deload/dashboard';
import { EvaluationModule } from '@deload/evaluation';
import { DailyEvaluationCron } from './daily-evaluation.cron';
import { EvaluateDailyProcessor } from './evaluate-daily.processor';
import { EvaluateProcessor } from './evaluate.processor';

/** Evaluating runners: one runner (`evaluate`), the daily fan-out (`evaluate-daily`) and its cron. */
@Module({ imports: [EvaluationModule, LoadSummariesModule], providers: [EvaluateProcessor, EvaluateDailyProcessor, DailyEvaluationCron] })
export class EvaluationWorkerModule {}
