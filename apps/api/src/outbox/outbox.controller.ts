import { Controller, Get, Param, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentUser } from '@deload/auth';
import { OutboxView } from '@deload/notify';
import { UserEntity } from '@deload/persistence';

/**
 * An email's HTML runs in a frame of its own: no script, no network but images, styles inline,
 * framed only by our own read page (the rest of the site may be framed by nobody), which sizes
 * the frame to it.
 */
const EMAIL_HTML_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data: https:',
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  // Same origin only so the read page can size the frame to the email; no scripts run in it.
  'sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox',
].join('; ');

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
      nav: 'outbox',
      active: this.outbox.active,
      everyone: this.outbox.showsEveryone(user),
      entries: entries.map((entry) => ({ ...entry, when: entry.date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' })),
    };
  }

  @Get(':file')
  @Render('outbox/read')
  async read(@CurrentUser() user: UserEntity, @Param('file') file: string) {
    const message = await this.outbox.read(user, file);
    return {
      title: message.entry.subject || 'Email',
      message,
      htmlHref: `/outbox/${encodeURIComponent(file)}/html`,
      scripts: ['/assets/email-preview.js'],
    };
  }

  /** The email's HTML part, for the frame on the read page. */
  @Get(':file/html')
  async html(@CurrentUser() user: UserEntity, @Param('file') file: string, @Res() res: Response) {
    const message = await this.outbox.read(user, file);
    res.setHeader('Content-Security-Policy', EMAIL_HTML_POLICY);
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.type('html').send(message.html ?? '');
  }
}
