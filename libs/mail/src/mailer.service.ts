import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import { AppConfig } from '@deload/config';
import { MailTransportError, OutgoingEmail, SentEmail } from './mail.types';
import { Outbox, outboxFileName } from './outbox';

/**
 * The one way Deload sends email: SMTP when SMTP_URL is set, else an .eml file in OUTBOX_DIR
 * (what a newcomer without a mail server sees, listed in the dashboard). Retrying is the caller's
 * job (a queue with backoff); this class sends once or throws MailTransportError.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger(Mailer.name);
  private readonly smtp?: Transporter;
  readonly outbox: Outbox;

  constructor(private readonly config: AppConfig) {
    this.outbox = new Outbox(config.env.OUTBOX_DIR);
    if (config.env.SMTP_URL) {
      this.smtp = nodemailer.createTransport({
        url: config.env.SMTP_URL,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      } as SMTPTransport.Options);
    }
  }

  get transport(): SentEmail['transport'] {
    return this.smtp ? 'smtp' : 'outbox';
  }

  /** A Message-ID on this deployment's host: random unless the caller gives a stable local part. */
  newMessageId(localPart: string = randomUUID()): string {
    return `<${localPart}@${new URL(this.config.env.PUBLIC_URL).hostname}>`;
  }

  async send(email: OutgoingEmail): Promise<SentEmail> {
    const messageId = email.messageId ?? this.newMessageId();
    const message = {
      from: this.config.env.MAIL_FROM,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId,
      headers: email.headers,
    };
    if (this.smtp) {
      let info: { response?: string };
      try {
        info = await this.smtp.sendMail(message);
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        throw new MailTransportError(`SMTP: ${(error as Error).message}`, code !== undefined && code >= 500);
      }
      this.logger.log(`sent ${messageId} by SMTP`);
      return { messageId, transport: 'smtp', receipt: `SMTP ${info.response ?? 'accepted'}`.slice(0, 500) };
    }
    const raw = await new MailComposer({ ...message, date: new Date() }).compile().build();
    const path = await this.outbox.write(outboxFileName(messageId, new Date()), raw);
    this.logger.log(`wrote ${messageId} to the outbox`);
    return { messageId, transport: 'outbox', path, receipt: `outbox ${basename(path)}` };
  }

  /** Whether the SMTP server answers (connects, greets, accepts our login); always true for the outbox. */
  async ping(): Promise<boolean> {
    if (!this.smtp) return true;
    try {
      return await this.smtp.verify();
    } catch {
      return false;
    }
  }

  onApplicationShutdown(): void {
    this.smtp?.close();
  }
}
