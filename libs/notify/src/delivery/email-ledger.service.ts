import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isPlaceholderEmail } from '@deload/domain';
import { Mailer, MailTransportError, OutgoingEmail } from '@deload/mail';
import { EmailDeliveriesRepository, EmailDeliveryEntity, EmailKind, isDatabaseUnavailable, ProcessPresence } from '@deload/persistence';
import { EmailRetryNudge } from './email-retry-nudge.service';

/**
 * A send that started this long ago and never finished is treated as interrupted even when its
 * process still seems alive (a host that vanished without closing its connections): longer than
 * the SMTP client's connection + greeting + socket timeouts together (50 s).
 */
export const IN_FLIGHT_GRACE_MS = 2 * 60_000;
/** After the server accepted an email, keep trying to record that for this long while PostgreSQL is away (a restart). */
const RECORD_SENT_FOR_MS = 90_000;

export interface Delivery {
  kind: EmailKind;
  /** Unique per kind: the same key is never emailed twice. */
  dedupeKey: string;
  userId: string;
  /** The finished email; built before the claim, so a rendering bug never leaves a claim behind. */
  email: Omit<OutgoingEmail, 'messageId'>;
  /** Runs in the transaction that records the send (e.g. marks the alert notified). */
  onSent?: (manager: EntityManager) => Promise<void>;
}

/**
 * sent — the SMTP server accepted it (or it was written to the outbox) now; already-sent /
 * skipped — an earlier job did it or decided against it.
 */
export type DeliveryOutcome = 'sent' | 'already-sent' | 'skipped';

/** Another process is sending this email right now; retry later (the job's backoff does). */
export class EmailInFlightError extends Error {
  constructor(messageId: string) {
    super(`${messageId} is being sent by another worker`);
    this.name = 'EmailInFlightError';
  }
}

type Claim = { kind: 'claimed' } | { kind: 'done'; outcome: DeliveryOutcome };

/**
 * Exactly-once email as far as the recipient can tell. Each email has a row in email_deliveries,
 * keyed by (kind, dedupe key), with a stable Message-ID recorded before sending:
 *  1. claim the row (status sending, claimed_by this process) in its own transaction;
 *  2. send;
 *  3. mark it sent with the server's reply as its receipt (and run `onSent`) in one transaction —
 *     or, when SMTP failed, mark it failed and rethrow, so the queue retries with backoff.
 * Nothing is ever assumed delivered. A process that dies between 1 and 3 leaves a claim whose
 * owner is gone (ProcessPresence; or older than IN_FLIGHT_GRACE_MS): the next attempt counts it in
 * `interrupted_attempts` and sends again with the same Message-ID — unless the outbox already holds
 * the file, which confirms it. Only a death in the instant between the server's acceptance and
 * step 3 can make a second copy, and that copy carries the same Message-ID, by which receiving
 * servers and mail clients recognise it as the same email.
 */
@Injectable()
export class EmailLedger {
  private readonly logger = new Logger(EmailLedger.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: EmailDeliveriesRepository,
    private readonly mailer: Mailer,
    private readonly presence: ProcessPresence,
    private readonly nudge: EmailRetryNudge,
  ) {}

  /** Stable per email: a retry sends the same Message-ID, so mail clients can tell it is the same email. */
  messageIdFor(kind: EmailKind, dedupeKey: string): string {
    return this.mailer.newMessageId(`${kind}.${dedupeKey}`);
  }

  async deliver(delivery: Delivery): Promise<DeliveryOutcome> {
    if (isPlaceholderEmail(delivery.email.to)) {
      // Accounts made through Strava have no address until the runner gives one; nobody could receive it.
      await this.skip(delivery.kind, delivery.dedupeKey, delivery.userId, 'the account has no email address yet');
      return 'skipped';
    }
    const messageId = this.messageIdFor(delivery.kind, delivery.dedupeKey);
    const claim = await this.claim(delivery, messageId, await this.presence.register());
    if (claim.kind === 'done') return claim.outcome;
    let receipt: string;
    try {
      ({ receipt } = await this.mailer.send({ ...delivery.email, messageId }));
    } catch (error) {
      await this.release(delivery, error);
      if (error instanceof MailTransportError && !error.permanent) this.nudge.noteOutage();
      throw error;
    }
    await this.recordSent(delivery, receipt);
    this.nudge.noteDelivered();
    return 'sent';
  }

  /**
   * The server has the email: recording that must not be lost to a database restart, or the next
   * attempt would send it again. Retries while PostgreSQL is unreachable, then gives up (the claim
   * then reads as interrupted, and the email goes again with the same Message-ID).
   */
  private async recordSent(delivery: Delivery, receipt: string): Promise<void> {
    const deadline = Date.now() + RECORD_SENT_FOR_MS;
    for (let wait = 500; ; wait = Math.min(wait * 2, 10_000)) {
      try {
        return await this.markSent(delivery, receipt);
      } catch (error) {
        if (!isDatabaseUnavailable(error) || Date.now() + wait > deadline) throw error;
        this.logger.warn(`${delivery.kind} ${delivery.dedupeKey} was accepted (${receipt}); recording it once PostgreSQL answers`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** Records that this email will not be sent (unsubscribed, no longer relevant), unless it already was. */
  async skip(kind: EmailKind, dedupeKey: string, userId: string, reason: string): Promise<void> {
    await this.deliveries.skip({ userId, kind, dedupeKey, messageId: this.messageIdFor(kind, dedupeKey) }, reason);
  }

  async find(kind: EmailKind, dedupeKey: string): Promise<EmailDeliveryEntity | null> {
    return this.deliveries.find(kind, dedupeKey);
  }

  private async claim(delivery: Delivery, messageId: string, owner: string): Promise<Claim> {
    const found = await this.dataSource.transaction(async (manager): Promise<Claim | { kind: 'interrupted'; row: EmailDeliveryEntity }> => {
      const email = { userId: delivery.userId, kind: delivery.kind, dedupeKey: delivery.dedupeKey, messageId };
      if (await this.deliveries.claimNew(email, owner, manager)) return { kind: 'claimed' };
      const row = await this.deliveries.lock(delivery.kind, delivery.dedupeKey, manager);
      if (row.status === 'sent') return { kind: 'done', outcome: 'already-sent' };
      if (row.status === 'skipped') return { kind: 'done', outcome: 'skipped' };
      if (row.status === 'failed') {
        await this.deliveries.reclaim(row.id, owner, undefined, manager);
        return { kind: 'claimed' };
      }
      if (await this.stillSending(row, owner)) throw new EmailInFlightError(messageId);
      return { kind: 'interrupted', row };
    });
    return found.kind === 'interrupted' ? this.resumeInterrupted(delivery, found.row, owner) : found;
  }

  /** A claim is live while its process is (and it is younger than the grace); this process's own claim is live too (another job of it is sending). */
  private async stillSending(row: EmailDeliveryEntity, owner: string): Promise<boolean> {
    if (Date.now() - (row.claimedAt?.getTime() ?? 0) >= IN_FLIGHT_GRACE_MS) return false;
    if (!row.claimedBy || row.claimedBy === owner) return true;
    return this.presence.isAlive(row.claimedBy);
  }

  /** An earlier attempt stopped before the server's answer was recorded: confirm it from the outbox, or send it again. */
  private async resumeInterrupted(delivery: Delivery, row: EmailDeliveryEntity, owner: string): Promise<Claim> {
    const file = this.mailer.transport === 'outbox' ? await this.mailer.outbox.fileOf(row.messageId) : undefined;
    if (file) {
      await this.markSent(delivery, `outbox ${file} (written before its process stopped)`);
      return { kind: 'done', outcome: 'already-sent' };
    }
    const note = `attempt ${row.attempts} stopped before the server answered (process ${row.claimedBy ?? 'unknown'} is gone); sent again with the same Message-ID`;
    this.logger.warn(`${row.messageId}: ${note}`);
    await this.deliveries.reclaim(row.id, owner, note);
    return { kind: 'claimed' };
  }

  private async markSent(delivery: Delivery, receipt: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.deliveries.markSent(delivery.kind, delivery.dedupeKey, receipt, manager);
      await delivery.onSent?.(manager);
    });
  }

  private async release(delivery: Delivery, error: unknown): Promise<void> {
    await this.deliveries.markFailed(delivery.kind, delivery.dedupeKey, String((error as Error)?.message ?? error).slice(0, 500));
  }
}
