import { Module } from '@nestjs/common';
import { SettingsModule } from '@deload/settings';
import { StravaModule } from '@deload/strava';
import { SettingsApiController } from './settings.api.controller';
import { SettingsPagesController } from './settings.pages.controller';

/** A runner's preferences and thresholds (/api/settings, /settings, with the Strava connection). */
@Module({ imports: [SettingsModule, StravaModule], controllers: [SettingsApiController, SettingsPagesController] })
export class SettingsHttpModule {}
