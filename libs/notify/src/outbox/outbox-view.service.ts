import { Injectable } from '@nestjs/common';
import { AppConfig } from '@deload/config';
import { notFound } from '@deload/domain';
import { Mailer, OutboxEntry } from '@deload/mail';

export interface OutboxMessage {
  entry: OutboxEntry;
  html: string | null;
  text: string;
  headers: { key: string; value: string }[];
}

export interface OutboxViewer {
  email: string;
}

/** Headers worth showing next to an email read in the outbox. */
const SHOWN_HEADERS = ['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post'];

/**
 * The outbox (OUTBOX_DIR, used when SMTP_URL is unset) as the dashboard shows it: each user sees
 * the emails addressed to them; in development (NODE_ENV=development) everyone sees all of them,
 * so a newcomer can follow every email the demo sends.
 */
@Injectable()
export class OutboxView {
  constructor(
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
  ) {}

  get active(): boolean {
    return this.mailer.transport === 'outbox';
  }

  get showsEveryone(): boolean {
    return this.config.env.NODE_ENV === 'development';
  }

  async list(viewer: OutboxViewer, limit = 200): Promise<OutboxEntry[]> {
    if (!this.active) return [];
    const entries = await this.mailer.outbox.list(this.showsEveryone ? limit : 2000);
    return (this.showsEveryone ? entries : entries.filter((entry) => addressedTo(entry, viewer))).slice(0, limit);
  }

  async read(viewer: OutboxViewer, file: string): Promise<OutboxMessage> {
    if (!this.active || !/^[\w.-]+\.eml$/.test(file)) throw notFound('no such email');
    const names = await this.mailer.outbox.fileNames();
    if (!names.includes(file)) throw notFound('no such email');
    const mail = await this.mailer.outbox.read(file);
    const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
    const entry: OutboxEntry = { file, messageId: mail.messageId ?? '', to, subject: mail.subject ?? '', date: mail.date ?? new Date(0) };
    if (!this.showsEveryone && !addressedTo(entry, viewer)) throw notFound('no such email');
    return {
      entry,
      html: typeof mail.html === 'string' ? mail.html : null,
      text: mail.text ?? '',
      headers: mail.headerLines
        .filter((header) => SHOWN_HEADERS.includes(header.key))
        .map((header) => ({ key: header.line.split(':')[0], value: header.line.slice(header.line.indexOf(':') + 1).trim() })),
    };
  }
}

function addressedTo(entry: OutboxEntry, viewer: OutboxViewer): boolean {
  const email = viewer.email.toLowerCase();
  return entry.to
    .toLowerCase()
    .split(/[,\s<>]+/)
    .includes(email);
}
