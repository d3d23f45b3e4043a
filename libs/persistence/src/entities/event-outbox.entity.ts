import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A domain event recorded with the write it describes, waiting for its follow-up jobs to be queued (libs/events). */
@Entity('event_outbox')
export class EventOutboxEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** The Redis key prefix (REDIS_KEY_PREFIX) of the deployment whose queues get the jobs. */
  @Column('text')
  queuePrefix!: string;

  @Column('text')
  type!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
