import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EmailDeliveryEntity, EmailDeliveryStatus, EmailKind } from '../entities/email-delivery.entity';
import { TableRepository } from './table-repository';

/** A new email's row: who it is for, which email, and the Message-ID it goes out with. */
export interface EmailToClaim {
  userId: string;
  kind: EmailKind;
  dedupeKey: string;
  messageId: string;
}

/** One email about an alert: the alert's own, or the one another alert led, carrying it under "also this week". */
export interface AlertEmail {
  alertId: string;
  messageId: string;
  status: EmailDeliveryStatus;
  sentAt: Date | null;
  /** The email's error, or why it was not sent. */
  note: string | null;
  /** The email another alert led, carrying this one under "also this week". */
  carried: boolean;
}

/** email_deliveries: the ledger of every email, one row per (kind, dedupe key), that makes each go out once. */
@Injectable()
export class EmailDeliveriesRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  async find(kind: EmailKind, dedupeKey: string): Promise<EmailDeliveryEntity | null> {
    return this.db().findOneBy(EmailDeliveryEntity, { kind, dedupeKey });
  }

  /** Records that this email will not be sent, with the reason, unless it already was or is being sent (a failed one becomes skipped). */
  async skip(email: EmailToClaim, reason: string): Promise<void> {
    await this.db().query(
      `INSERT INTO email_deliveries (user_id, kind, dedupe_key, message_id, status, last_error)
       VALUES ($1, $2, $3, $4, 'skipped', $5)
       ON CONFLICT (kind, dedupe_key) DO UPDATE SET status = 'skipped', last_error = $5, updated_at = now()
       WHERE email_deliveries.status = 'failed'`,
      [email.userId, email.kind, email.dedupeKey, email.messageId, reason],
    );
  }

  /** Claims a new email for `owner` (status sending, first attempt); false when the email has a row already. */
  async claimNew(email: EmailToClaim, owner: string, tx?: EntityManager): Promise<boolean> {
    const inserted: unknown[] = await this.db(tx).query(
      `INSERT INTO email_deliveries (user_id, kind, dedupe_key, message_id, status, attempts, claimed_at, claimed_by)
       VALUES ($1, $2, $3, $4, 'sending', 1, now(), $5)
       ON CONFLICT (kind, dedupe_key) DO NOTHING RETURNING id`,
      [email.userId, email.kind, email.dedupeKey, email.messageId, owner],
    );
    return inserted.length > 0;
  }

  /** The email's row, locked until the caller's transaction ends. */
  async lock(kind: EmailKind, dedupeKey: string, tx: EntityManager): Promise<EmailDeliveryEntity> {
    return tx
      .getRepository(EmailDeliveryEntity)
      .createQueryBuilder('delivery')
      .setLock('pessimistic_write')
      .where({ kind, dedupeKey })
      .getOneOrFail();
  }

  /** Claims the email again for `owner` (another attempt); `interrupted` notes why the previous attempt did not finish. */
  async reclaim(id: string, owner: string, interrupted: string | undefined, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(
      `UPDATE email_deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = now(), claimed_by = $2,
              interrupted_attempts = interrupted_attempts + $3, last_error = coalesce($4, last_error), updated_at = now()
        WHERE id = $1`,
      [id, owner, interrupted ? 1 : 0, interrupted ?? null],
    );
  }

  /** The server accepted the email: `receipt` is its answer. */
  async markSent(kind: EmailKind, dedupeKey: string, receipt: string, tx?: EntityManager): Promise<void> {
    await this.db(tx).query(
      `UPDATE email_deliveries SET status = 'sent', sent_at = now(), claimed_at = NULL, claimed_by = NULL, receipt = $3, updated_at = now()
       WHERE kind = $1 AND dedupe_key = $2`,
      [kind, dedupeKey, receipt],
    );
  }

  /** The send failed: the claim is released with the error (a later attempt retries). */
  async markFailed(kind: EmailKind, dedupeKey: string, error: string): Promise<void> {
    await this.db().query(
      `UPDATE email_deliveries SET status = 'failed', claimed_at = NULL, claimed_by = NULL, last_error = $3, updated_at = now()
       WHERE kind = $1 AND dedupe_key = $2 AND status = 'sending'`,
      [kind, dedupeKey, error],
    );
  }

  /** How many emails of this kind went out to these people. */
  async countSent(userIds: readonly string[], kind: EmailKind): Promise<number> {
    const [{ sent }] = await this.db().query(
      `SELECT count(*)::int AS sent FROM email_deliveries WHERE user_id = ANY($1) AND kind = $2 AND status = 'sent'`,
      [userIds, kind],
    );
    return sent;
  }

  /** The emails about these alerts of the runner, newest first: each alert's own, and the latest email of each alert that carries it (alerts.notify_also). */
  async aboutAlerts(userId: string, alertIds: readonly string[]): Promise<AlertEmail[]> {
    if (!alertIds.length) return [];
    return this.db().query(
      `SELECT a.id::text AS "alertId", d.message_id AS "messageId", d.status, d.sent_at AS "sentAt", d.last_error AS note,
              lead.id <> a.id AS carried
         FROM alerts a
         JOIN alerts lead ON lead.user_id = a.user_id AND (lead.id = a.id OR a.id = ANY(lead.notify_also))
         JOIN email_deliveries d ON d.kind = 'alert' AND d.user_id = a.user_id AND left(d.dedupe_key, 36) = lead.id::text
        WHERE a.user_id = $1 AND a.id = ANY($2::uuid[])
          AND (lead.id = a.id OR d.dedupe_key = lead.id::text || '-' || floor(extract(epoch FROM lead.notify_requested_at) * 1000)::bigint::text)
        ORDER BY d.created_at DESC`,
      [userId, alertIds],
    );
  }
}
