import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';

export interface OutboxEntry {
  file: string;
  messageId: string;
  to: string;
  subject: string;
  date: Date;
}

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

  /** Writes atomically (temp file + rename), so a reader never sees half an email. */
  async write(fileName: string, raw: Buffer): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, fileName);
    const temporary = `${path}.tmp-${process.pid}`;
    await writeFile(temporary, raw);
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

  private async entry(file: string): Promise<OutboxEntry> {
    const mail = await this.read(file);
    const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
    return { file, messageId: mail.messageId ?? '', to, subject: mail.subject ?? '', date: mail.date ?? new Date(0) };
  }
}
