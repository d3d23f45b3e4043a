export { EvaluationModule } from './evaluation.module';
export { DailyEvaluation } from './daily-evaluation.service';
export { EvaluationRequests } from './evaluation-requests';
export { EvaluationService, type EvaluationOutcome } from './evaluation.service';
export { loadRunnerHistory, type RunnerHistory } from './runner-history';
export { AlertActionsModule } from './alert-actions.module';
export { AlertActions, acknowledgeInputSchema, dismissInputSchema, type AlertActionsResult } from './alert-actions.service';
