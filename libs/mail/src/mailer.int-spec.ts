import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadConfig } from '@deload/config';
import { freePort } from '../../../test/support/ports';
import { SmtpSink } from '../../../test/support/smtp-sink';
import { MailTransportError } from './mail.types';
import { Mailer } from './mailer.service';

function mailer(env: Record<string, string>): Mailer {
  return new Mailer(
    new AppConfig(
      loadConfig({ SECRET_KEY: 'k'.repeat(40), PUBLIC_URL: 'https://deload.example', MAIL_FROM: 'Deload <hello@deload.example>', ...env }),
    ),
  );
}

const email = {
  to: 'runner@example.test',
  subject: 'Your long run was 45 % longer than anything in the last 30 days',
  text: 'Plain text body',
  html: '<p>HTML body</p>',
  headers: { 'List-Unsubscribe': '<https://deload.example/u/abc>' },
};

describe('Mailer', () => {
  it('delivers over SMTP with the Message-ID the caller chose', async () => {
    const sink = await new SmtpSink().start();
    try {
      const sent = await mailer({ SMTP_URL: sink.url }).send({ ...email, messageId: '<alert-1@deload.example>' });
      expect(sent).toEqual({ messageId: '<alert-1@deload.example>', transport: 'smtp', receipt: expect.stringMatching(/^SMTP 250 /) });
      expect(sink.messages).toHaveLength(1);
      const [received] = sink.messages;
      expect(received.messageId).toBe('<alert-1@deload.example>');
      expect(received.subject).toBe(email.subject);
      expect(received.text?.trim()).toBe('Plain text body');
      expect(received.html).toContain('<p>HTML body</p>');
      expect(received.headerLines.find((header) => header.key === 'list-unsubscribe')?.line).toBe(
        'List-Unsubscribe: <https://deload.example/u/abc>',
      );
      expect(received.from?.value).toEqual([{ address: 'hello@deload.example', name: 'Deload' }]);
    } finally {
      await sink.stop();
    }
  });

  it('reports a temporary SMTP refusal as retryable and an unreachable server as an error', async () => {
    const sink = await new SmtpSink().start();
    try {
      sink.failNext(1);
      const refused = mailer({ SMTP_URL: sink.url }).send(email);
      await expect(refused).rejects.toBeInstanceOf(MailTransportError);
      await expect(refused).rejects.toMatchObject({ permanent: false });
    } finally {
      await sink.stop();
    }
    await expect(mailer({ SMTP_URL: `smtp://127.0.0.1:${await freePort()}` }).send(email)).rejects.toBeInstanceOf(MailTransportError);
  });

  it('writes an .eml file to the outbox when no SMTP server is configured, and lists it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deload-outbox-'));
    const outboxMailer = mailer({ OUTBOX_DIR: dir });
    expect(outboxMailer.transport).toBe('outbox');
    const sent = await outboxMailer.send({ ...email, messageId: '<alert-2@deload.example>' });
    expect(sent.transport).toBe('outbox');
    expect(await readFile(sent.path!, 'utf8')).toMatch(/^Message-ID: <alert-2@deload\.example>$/m);
    expect(await outboxMailer.outbox.has('<alert-2@deload.example>')).toBe(true);
    expect(await outboxMailer.outbox.has('<alert-3@deload.example>')).toBe(false);
    const [entry] = await outboxMailer.outbox.list();
    expect(entry).toMatchObject({ messageId: '<alert-2@deload.example>', to: 'runner@example.test', subject: email.subject });
    const parsed = await outboxMailer.outbox.read(entry.file);
    expect(parsed.html).toContain('<p>HTML body</p>');
  });
});
