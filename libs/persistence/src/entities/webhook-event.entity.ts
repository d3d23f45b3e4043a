import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type WebhookEventStatus = 'pending' | 'processed' | 'ignored' | 'failed';
/** push — sent by Strava; reconciliation — an activity the daily reconciliation found missing. */
export type WebhookEventSource = 'push' | 'reconciliation';

/** Inbox of every webhook received, so nothing Strava pushes is lost even if a job fails. */
@Entity('webhook_events')
export class WebhookEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  provider!: string;

  /** Deterministic key of the event; Strava's retries of one event share it. */
  @Column('text')
  dedupeKey!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column('text', { default: 'pending' })
  status!: WebhookEventStatus;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column('timestamptz', { nullable: true })
  processedAt!: Date | null;

  /** Job runs that used up their attempts on a passing failure (Strava down); the event stays pending. */
  @Column('integer', { default: 0 })
  attempts!: number;

  /** When the inbox sweep queues a pending event again after its job gave up. */
  @Column('timestamptz', { nullable: true })
  retryAt!: Date | null;

  @Column('text', { default: 'push' })
  source!: WebhookEventSource;

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt!: Date;
}
