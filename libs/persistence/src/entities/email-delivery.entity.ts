import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type EmailKind = 'alert' | 'pain-checkin' | 'weekly-summary' | 'coach-digest';

/**
 * sending — claimed, the send may be in flight (or the process sending it died during it);
 * sent — the SMTP server accepted it (or it was written to the outbox), see `receipt`;
 * failed — the last attempt failed, a retry may claim it;
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

  /** The process (ProcessPresence id) that claimed it; a claim of a process that is gone is sent again. */
  @Column('text', { nullable: true })
  claimedBy!: string | null;

  /**
   * Attempts that stopped before the server answered (the process died mid-send). Each was
   * followed by a new attempt with the same Message-ID, so a copy that did get through is one
   * receivers recognise as the same email.
   */
  @Column('integer', { default: 0 })
  interruptedAttempts!: number;

  /** What confirmed the delivery: the SMTP server's reply (e.g. "250 2.0.0 Ok: queued as …") or the outbox file. */
  @Column('text', { nullable: true })
  receipt!: string | null;

  @Column('timestamptz', { nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
