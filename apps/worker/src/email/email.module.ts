import { Module } from '@nestjs/common';
import { NotifyModule } from '@deload/notify';
import { CoachDigestProcessor } from './coach-digest.processor';
import { EmailCron } from './email.cron';
import { NotifyProcessor } from './notify.processor';
import { PainCheckinProcessor } from './pain-checkin.processor';
import { WeeklySummaryProcessor } from './weekly-summary.processor';

/** Sending emails: alerts (`notify`), pain check-ins, weekly summaries, coach digests, and the cron that schedules and sweeps them. */
@Module({
  imports: [NotifyModule],
  providers: [NotifyProcessor, PainCheckinProcessor, WeeklySummaryProcessor, CoachDigestProcessor, EmailCron],
})
export class EmailWorkerModule {}
