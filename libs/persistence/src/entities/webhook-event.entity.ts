import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type WebhookEventStatus = 'pending' | 'processed' | 'ignored' | 'failed';

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

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt!: Date;
}
