import { Module } from '@nestjs/common';
import { DashboardModule } from '@deload/dashboard';
import { SettingsModule } from '@deload/settings';
import { ShoesApiController } from './shoes.api.controller';
import { ShoesPagesController } from './shoes.pages.controller';

/** A runner's shoes: /api/shoes (a coach reads a runner's with `runnerId`) and the /shoes page. */
@Module({ imports: [SettingsModule, DashboardModule], controllers: [ShoesApiController, ShoesPagesController] })
export class ShoesHttpModule {}
