import { Module } from '@nestjs/common';
import { NotifyModule } from '@deload/notify';
import { EmailLinksController } from './email-links.controller';

/** The links in every email: unsubscribe and email preferences (/email/unsubscribe, /email/preferences). */
@Module({ imports: [NotifyModule], controllers: [EmailLinksController] })
export class EmailHttpModule {}
