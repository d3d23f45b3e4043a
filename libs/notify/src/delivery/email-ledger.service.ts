import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isPlaceholderEmail } from '@deload/domain';
import { Mailer, OutgoingEmail } from '@deload/mail';
import { EmailDeliveryEntity, EmailKind } from '@deload/persistence';

/**
 * A send that started this long ago and never finished belongs to a worker that died during it:
 * longer than the SMTP client's connection + greeting + socket timeouts together (50 s).
 */
export const IN_FLIGHT_GRACE_MS = 2 * 60_000;

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
 * sent — handed to SMTP (or the outbox) now; already-sent / skipped — an earlier job did it or
 * decided against it; assumed-sent — an earlier attempt died mid-send, so it most likely went out
 * and is not sent again.
 */
export type DeliveryOutcome = 'sent' | 'already-sent' | 'assumed-sent' | 'skipped';

/** Another worker is sending this email right now; retry later (the job's backoff does). */
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
 *  1. claim the row (status sending) in its own transaction;
 *  2. send;
 *  3. mark it sent (and run `onSent`) in one transaction — or, when SMTP failed, mark it failed
 *     and rethrow, so the queue retries with backoff and the retry claims it again.
 * A worker that dies between 2 and 3 leaves a stale claim: with the outbox the file tells whether
 * it went out; over SMTP it is assumed delivered (the common case: the crash came after the
 * server accepted it), so a retry never sends a second copy.
 */
@Injectable()
export class EmailLedger {
  private readonly logger = new Logger(EmailLedger.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
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
    const claim = await this.claim(delivery, messageId);
    if (claim.kind === 'done') return claim.outcome;
    try {
      await this.mailer.send({ ...delivery.email, messageId });
    } catch (error) {
      await this.release(delivery, error);
      throw error;
    }
    await this.markSent(delivery);
    return 'sent';
  }

  /** Records that this email will not be sent (unsubscribed, no longer relevant), unless it already was. */
  async skip(kind: EmailKind, dedupeKey: string, userId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO email_deliveries (user_id, kind, dedupe_key, message_id, status, last_error)
       VALUES ($1, $2, $3, $4, 'skipped', $5)
       ON CONFLICT (kind, dedupe_key) DO UPDATE SET status = 'skipped', last_error = $5, updated_at = now()
       WHERE email_deliveries.status = 'failed'`,
      [userId, kind, dedupeKey, this.messageIdFor(kind, dedupeKey), reason],
    );
  }

  async find(kind: EmailKind, dedupeKey: string): Promise<EmailDeliveryEntity | null> {
    return this.dataSource.getRepository(EmailDeliveryEntity).findOneBy({ kind, dedupeKey });
  }

  private async claim(delivery: Delivery, messageId: string): Promise<Claim> {
    const found = await this.dataSource.transaction(async (manager): Promise<Claim | { kind: 'stale'; row: EmailDeliveryEntity }> => {
      const inserted = await manager.query(
        `INSERT INTO email_deliveries (user_id, kind, dedupe_key, message_id, status, attempts, claimed_at)
         VALUES ($1, $2, $3, $4, 'sending', 1, now())
         ON CONFLICT (kind, dedupe_key) DO NOTHING RETURNING id`,
        [delivery.userId, delivery.kind, delivery.dedupeKey, messageId],
      );
      if (inserted.length) return { kind: 'claimed' };
      const row = await manager
        .getRepository(EmailDeliveryEntity)
        .createQueryBuilder('delivery')
        .setLock('pessimistic_write')
        .where({ kind: delivery.kind, dedupeKey: delivery.dedupeKey })
        .getOneOrFail();
      if (row.status === 'sent') return { kind: 'done', outcome: 'already-sent' };
      if (row.status === 'skipped') return { kind: 'done', outcome: 'skipped' };
      if (row.status === 'failed') {
        await this.reclaim(manager, row.id);
        return { kind: 'claimed' };
      }
      if (Date.now() - (row.claimedAt?.getTime() ?? 0) < IN_FLIGHT_GRACE_MS) throw new EmailInFlightError(messageId);
      return { kind: 'stale', row };
    });
    return found.kind === 'stale' ? this.resolveStaleClaim(delivery, found.row) : found;
  }

  /** An earlier attempt claimed this email and never finished: its worker died, maybe after sending. */
  private async resolveStaleClaim(delivery: Delivery, row: EmailDeliveryEntity): Promise<Claim> {
    if (this.mailer.transport === 'outbox' && !(await this.mailer.outbox.has(row.messageId))) {
      await this.dataSource.transaction((manager) => this.reclaim(manager, row.id));
      return { kind: 'claimed' };
    }
    this.logger.warn(
      `${row.messageId}: an earlier attempt stopped during the send; treating it as delivered rather than risk a second copy`,
    );
    await this.markSent(delivery, 'an earlier attempt stopped during the send; assumed delivered');
    return { kind: 'done', outcome: this.mailer.transport === 'outbox' ? 'already-sent' : 'assumed-sent' };
  }

  private async reclaim(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE email_deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = now(), updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  private async markSent(delivery: Delivery, note: string | null = null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE email_deliveries SET status = 'sent', sent_at = now(), claimed_at = NULL, last_error = $3, updated_at = now()
         WHERE kind = $1 AND dedupe_key = $2`,
        [delivery.kind, delivery.dedupeKey, note],
      );
      await delivery.onSent?.(manager);
    });
  }

  private async release(delivery: Delivery, error: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE email_deliveries SET status = 'failed', claimed_at = NULL, last_error = $3, updated_at = now()
       WHERE kind = $1 AND dedupe_key = $2 AND status = 'sending'`,
      [delivery.kind, delivery.dedupeKey, String((error as Error)?.message ?? error).slice(0, 500)],
    );
  }
}
