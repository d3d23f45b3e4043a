import { Module } from '@nestjs/common';
import { AlertsModule } from '@deload/alerts';
import { SettingsService } from './settings.service';

@Module({ imports: [AlertsModule], providers: [SettingsService], exports: [SettingsService] })
export class SettingsModule {}
