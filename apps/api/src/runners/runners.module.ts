import { Module } from '@nestjs/common';
import { DashboardModule } from '@deload/dashboard';
import { NotifyModule } from '@deload/notify';
import { RunnersApiController } from './runners.api.controller';
import { RunnersPagesController } from './runners.pages.controller';

/** The runner page (/me, /runners/:id) and its data (/api/runners/:id/overview). */
@Module({ imports: [DashboardModule, NotifyModule], controllers: [RunnersApiController, RunnersPagesController] })
export class RunnersHttpModule {}
