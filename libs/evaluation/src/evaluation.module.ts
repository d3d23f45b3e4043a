import { Module } from '@nestjs/common';
import { EventsModule } from '@deload/events';
import { DailyEvaluation } from './daily-evaluation.service';
import { EvaluationRequests } from './evaluation-requests';
import { EvaluationService } from './evaluation.service';

/** Alerts: evaluation of a runner (rules engine + lifecycle) and the requests that trigger it. Needs PersistenceModule and QueueModule. */
@Module({
  imports: [EventsModule],
  providers: [EvaluationService, EvaluationRequests, DailyEvaluation],
  exports: [EvaluationService, EvaluationRequests, DailyEvaluation],
})
export class EvaluationModule {}
