import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RunSource } from '@deload/domain';

/**
 * Every (source, external id) we have seen for a run. A FIT upload and a Strava activity of the
 * same outing are two rows here pointing at one run, so re-imports and webhooks find it again.
 */
@Entity('run_sources')
export class RunSourceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  runId!: string;

  @Column('uuid')
  userId!: string;

  @Column('text')
  source!: RunSource;

  @Column('text')
  externalId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
