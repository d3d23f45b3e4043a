import { Module } from '@nestjs/common';
import { NotifyModule } from '@deload/notify';
import { OutboxController } from './outbox.controller';

/** The outbox pages (/outbox): the emails written to OUTBOX_DIR when no SMTP server is set, each person's own. */
@Module({ imports: [NotifyModule], controllers: [OutboxController] })
export class OutboxHttpModule {}
