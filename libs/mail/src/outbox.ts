import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ParsedMail, simpleParser } from 'mailparser';

export interface OutboxEntry {
  file: string;
  messageId: string;
  to: string;
  subject: string;
  date: Date;
  /** What the email lets its holder do (CREDENTIAL_HEADER), e.g. "sign-in": shown to its recipient only. */
  credential?: string;
}

/**
 * Marks an email whose link acts for the recipient (a sign-in link, an address confirmation). The
 * outbox never shows such an email to anyone but its recipient, admins included.
 */
export const CREDENTIAL_HEADER = 'X-Deload-Credential';

/** Safe, sortable file name: time first, then the Message-ID's local part. */
export function outboxFileName(messageId: string, date: Date): string {
  const id = messageId
    .replace(/^<|>$/g, '')
    .split('@')[0]
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 80);
  return `${date.toISOString().replace(/[:.]/g, '-')}_${id}.eml`;
}

/** The folder emails go to when no SMTP server is configured (OUTBOX_DIR). */
export class Outbox {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /**
   * Writes atomically (temp file + rename), so a reader never sees half an email. Emails hold
   * sign-in links: only Deload's own user may read them (file 600, a folder we create 700).
   */
  async write(fileName: string, raw: Buffer): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const path = join(this.dir, fileName);
    const temporary = `${path}.tmp-${process.pid}`;
    await writeFile(temporary, raw, { mode: 0o600 });
    await rename(temporary, path);
    return path;
  }

  async fileNames(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((name) => name.endsWith('.eml')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async has(messageId: string): Promise<boolean> {
    return (await this.fileOf(messageId)) !== undefined;
  }

  /** The file holding the email with this Message-ID, if it was written. */
  async fileOf(messageId: string): Promise<string | undefined> {
    const names = await this.fileNames();
    const suffix = outboxFileName(messageId, new Date(0)).split('_').slice(1).join('_');
    return names.find((name) => name.endsWith(`_${suffix}`));
  }

  /** Newest first. */
  async list(limit = 100): Promise<OutboxEntry[]> {
    const names = (await this.fileNames()).reverse().slice(0, limit);
    return Promise.all(names.map((file) => this.entry(file)));
  }

  async read(file: string) {
    if (!/^[\w.-]+\.eml$/.test(file)) throw new Error('not an outbox file name');
    return simpleParser(await readFile(join(this.dir, file)));
  }

  /** One email's list entry (reads the file). */
  async entry(file: string): Promise<OutboxEntry> {
    return outboxEntry(file, await this.read(file));
  }
}

/** The list entry of a parsed email. */
export function outboxEntry(file: string, mail: ParsedMail): OutboxEntry {
  const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
  const credential = mail.headers.get(CREDENTIAL_HEADER.toLowerCase());
  return {
    file,
    messageId: mail.messageId ?? '',
    to,
    subject: mail.subject ?? '',
    date: mail.date ?? new Date(0),
    ...(typeof credential === 'string' && credential ? { credential } : {}),
  };
}
