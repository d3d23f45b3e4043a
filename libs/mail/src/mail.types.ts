export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * A stable Message-ID (`<id@host>`) chosen by the caller and recorded before sending, so a
   * retried send can be recognised as the same email.
   */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface SentEmail {
  messageId: string;
  transport: 'smtp' | 'outbox';
  /** The .eml file, for the outbox transport. */
  path?: string;
  /** What confirms it: the SMTP server's reply to the message (e.g. "250 2.0.0 Ok: queued as 4XyZ"), or the outbox file. */
  receipt: string;
}

/** The SMTP server refused or could not be reached; `permanent` when retrying cannot help (5xx). */
export class MailTransportError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailTransportError';
  }
}
