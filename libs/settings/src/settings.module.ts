import { Module } from '@nestjs/common';
import { EventsModule } from '@deload/events';
import { SettingsService } from './settings.service';

@Module({ imports: [EventsModule], providers: [SettingsService], exports: [SettingsService] })
export class SettingsModule {}
