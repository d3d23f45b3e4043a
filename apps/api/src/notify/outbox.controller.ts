import { Controller, Get, Param, Render } from '@nestjs/common';
import { CurrentUser } from '@deload/auth';
import { OutboxView } from '@deload/notify';
import { UserEntity } from '@deload/persistence';

/** The outbox (emails written to OUTBOX_DIR when SMTP_URL is unset), for the signed-in user. */
@Controller('outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxView) {}

  @Get()
  @Render('outbox/list')
  async list(@CurrentUser() user: UserEntity) {
    const entries = await this.outbox.list(user);
    return {
      title: 'Outbox',
      active: this.outbox.active,
      everyone: this.outbox.showsEveryone,
      entries: entries.map((entry) => ({ ...entry, when: entry.date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' })),
    };
  }

  @Get(':file')
  @Render('outbox/read')
  async read(@CurrentUser() user: UserEntity, @Param('file') file: string) {
    const message = await this.outbox.read(user, file);
    return { title: message.entry.subject || 'Email', message };
  }
}
