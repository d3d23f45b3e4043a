import { AddressInfo } from 'node:net';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait';

/**
 * A real SMTP server on loopback that keeps what it receives. `failNext(n)` makes it refuse the
 * next n messages with a 451 (temporary) error, to test retries; `holdNext()` receives the next
 * message but never answers it (the moment between a client's send and the server's acceptance),
 * and keeps nothing of it.
 */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  private failures = 0;
  private holding?: () => void;
  /** The recipient of the message held by holdNext(). */
  heldTo?: string;
  private server?: SMTPServer;
  port = 0;

  /** `port` 0 lets the OS choose; pass a fixed one to bring a server "back up" where a client expects it. */
  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          if (this.holding) {
            this.heldTo = session.envelope.rcptTo[0]?.address;
            this.holding();
            this.holding = undefined;
            return; // no answer: the client waits until it gives up or dies
          }
          if (this.failures > 0) {
            this.failures -= 1;
            const error = Object.assign(new Error('try again later'), { responseCode: 451 });
            return callback(error);
          }
          this.messages.push(await simpleParser(Buffer.concat(chunks)));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  failNext(count: number): void {
    this.failures = count;
  }

  /** Resolves once the next message has been received in full and left without an answer. */
  holdNext(): Promise<void> {
    return new Promise((resolve) => (this.holding = resolve));
  }

  /** Messages received with this Message-ID (each accepted copy counts). */
  withMessageId(messageId: string): ParsedMail[] {
    return this.messages.filter((message) => message.messageId === messageId);
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((message) => JSON.stringify(message.to ?? '').includes(address));
  }

  async waitFor(predicate: (messages: ParsedMail[]) => boolean, timeoutMs = 15_000): Promise<void> {
    await waitFor(
      () => `email; received ${this.messages.length}`,
      () => predicate(this.messages),
      timeoutMs,
    );
  }

  get listening(): boolean {
    return !!this.server?.server.listening;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
