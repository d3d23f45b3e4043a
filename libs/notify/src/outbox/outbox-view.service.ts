import { Injectable } from '@nestjs/common';
import { notFound } from '@deload/domain';
import { Mailer, OutboxEntry, outboxEntry } from '@deload/mail';

export interface OutboxMessage {
  entry: OutboxEntry;
  html: string | null;
  text: string;
  headers: { key: string; value: string }[];
}

export interface OutboxViewer {
  email: string;
  /** Set only by `deload admin grant`. */
  isAdmin?: boolean;
}

/** Headers worth showing next to an email read in the outbox. */
const SHOWN_HEADERS = ['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post'];
/** How many of the newest files are searched for a viewer's own emails. */
const SEARCHED_FILES = 2000;

/**
 * The outbox (OUTBOX_DIR, used when SMTP_URL is unset) as the dashboard shows it: each user sees
 * the emails addressed to them. An admin (`deload admin grant`) sees everyone's — except emails
 * that carry a credential (a sign-in link, an address confirmation), which only their recipient
 * ever sees: an admin must not be able to sign in as someone else through the outbox.
 */
@Injectable()
export class OutboxView {
  constructor(private readonly mailer: Mailer) {}

  get active(): boolean {
    return this.mailer.transport === 'outbox';
  }

  showsEveryone(viewer: OutboxViewer): boolean {
    return viewer.isAdmin === true;
  }

  /** Newest first: what the viewer may open. */
  async list(viewer: OutboxViewer, limit = 200): Promise<OutboxEntry[]> {
    if (!this.active) return [];
    const entries = await this.mailer.outbox.list(SEARCHED_FILES);
    return entries.filter((entry) => mayOpen(entry, viewer)).slice(0, limit);
  }

  /** Newest first: only the emails addressed to the viewer, also for an admin (the runner page links its alert emails). */
  async own(viewer: OutboxViewer, limit = 200): Promise<OutboxEntry[]> {
    return this.list({ email: viewer.email }, limit);
  }

  async read(viewer: OutboxViewer, file: string): Promise<OutboxMessage> {
    if (!this.active || !/^[\w.-]+\.eml$/.test(file)) throw notFound('no such email');
    const names = await this.mailer.outbox.fileNames();
    if (!names.includes(file)) throw notFound('no such email');
    const mail = await this.mailer.outbox.read(file);
    const entry = outboxEntry(file, mail);
    if (!mayOpen(entry, viewer)) throw notFound('no such email');
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

function mayOpen(entry: OutboxEntry, viewer: OutboxViewer): boolean {
  return addressedTo(entry, viewer) || (viewer.isAdmin === true && !entry.credential);
}

function addressedTo(entry: OutboxEntry, viewer: OutboxViewer): boolean {
  const email = viewer.email.toLowerCase();
  return entry.to
    .toLowerCase()
    .split(/[,\s<>]+/)
    .includes(email);
}
