export { MailModule } from './mail.module';
export { MailTransportError, type OutgoingEmail, type SentEmail } from './mail.types';
export { Mailer } from './mailer.service';
export { CREDENTIAL_HEADER, Outbox, outboxEntry, outboxFileName, type OutboxEntry } from './outbox';
