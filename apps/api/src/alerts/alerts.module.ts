import { Module } from '@nestjs/common';
import { AlertActionsModule } from '@deload/evaluation';
import { AlertsApiController } from './alerts.api.controller';
import { AlertsPagesController } from './alerts.pages.controller';

/** Acting on an alert: acknowledge, dismiss with a reason, withdraw (JSON under /api/alerts, forms under /alerts). */
@Module({ imports: [AlertActionsModule], controllers: [AlertsApiController, AlertsPagesController] })
export class AlertsHttpModule {}
