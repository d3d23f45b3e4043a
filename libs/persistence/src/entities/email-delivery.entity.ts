import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type EmailKind = 'alert' | 'pain-checkin' | 'weekly-summary' | 'coach-digest';

/**
 * sending — claimed, the send may be in flight (or the worker died during it);
 * sent — delivered to SMTP or the outbox; failed — the last attempt failed, a retry may claim it;
 * skipped — decided not to send (unsubscribed, alert resolved meanwhile).
 */
export type EmailDeliveryStatus = 'sending' | 'sent' | 'failed' | 'skipped';

/** One email Deload means to send once: claimed before sending, with its Message-ID recorded. */
@Entity('email_deliveries')
export class EmailDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @Column('text')
  kind!: EmailKind;

  /** Unique per kind: an alert's id and request time, a run id, a runner and ISO week. */
  @Column('text')
  dedupeKey!: string;

  @Column('text')
  messageId!: string;

  @Column('text')
  status!: EmailDeliveryStatus;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { nullable: true })
  claimedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
