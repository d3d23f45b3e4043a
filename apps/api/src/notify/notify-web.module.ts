import { Module } from '@nestjs/common';
import { NotifyModule } from '@deload/notify';
import { PainCheckinController } from '../pain/pain-checkin.controller';
import { PainReportsController } from '../pain/pain-reports.controller';
import { EmailLinksController } from './email-links.controller';
import { OutboxController } from './outbox.controller';

/** Pain report pages (web form, email check-ins), email links and the outbox page. */
@Module({
  imports: [NotifyModule],
  controllers: [PainReportsController, PainCheckinController, EmailLinksController, OutboxController],
})
export class NotifyWebModule {}
