import { Module } from '@nestjs/common';
import { EventsModule } from '@deload/events';
import { SettingsService } from './settings.service';
import { ShoesService } from './shoes.service';

@Module({ imports: [EventsModule], providers: [SettingsService, ShoesService], exports: [SettingsService, ShoesService] })
export class SettingsModule {}
