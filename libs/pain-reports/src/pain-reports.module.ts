import { Module } from '@nestjs/common';
import { AuthModule } from '@deload/auth';
import { EventsModule } from '@deload/events';
import { PainCheckins } from './pain-checkins.service';
import { PainIntake } from './pain-intake.service';
import { PainReportsService } from './pain-reports.service';

/** Needs the app's ConfigModule, PersistenceModule and QueueModule. */
@Module({
  imports: [EventsModule, AuthModule],
  providers: [PainReportsService, PainCheckins, PainIntake],
  exports: [PainReportsService, PainCheckins, PainIntake],
})
export class PainReportsModule {}
