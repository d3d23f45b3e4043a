import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { RunSource, Split, Sport } from '@deload/domain';

@Entity('runs')
export class RunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  /** The source whose figures this row shows; other sources of the same outing are in run_sources. */
  @Column('text')
  source!: RunSource;

  @Column('text')
  externalId!: string;

  @Column('text')
  sport!: Sport;

  @Column('text', { nullable: true })
  sourceSport!: string | null;

  /** True for running sports the runner has not marked "not a run": only these count as running load. */
  @Column('boolean')
  isRun!: boolean;

  /** The runner marked it "not a run": `isRun` stays false until they take it back (runs list, issue 15). */
  @Column('boolean', { default: false })
  notARun!: boolean;

  @Column('text', { nullable: true })
  name!: string | null;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('timestamptz')
  startUtc!: Date;

  @Column('integer')
  utcOffsetS!: number;

  @Column('text', { nullable: true })
  timezone!: string | null;

  @Column('double precision')
  distanceM!: number;

  @Column('double precision', { nullable: true })
  movingS!: number | null;

  @Column('double precision', { nullable: true })
  elapsedS!: number | null;

  @Column('double precision', { nullable: true })
  elevationGainM!: number | null;

  @Column('double precision', { nullable: true })
  elevationLossM!: number | null;

  @Column('double precision', { nullable: true })
  avgCadenceSpm!: number | null;

  @Column('double precision', { nullable: true })
  avgHr!: number | null;

  @Column('smallint', { nullable: true })
  perceivedExertion!: number | null;

  @Column('uuid', { nullable: true })
  shoeId!: string | null;

  @Column('jsonb', { nullable: true })
  splits!: Split[] | null;

  @Column('text', { nullable: true })
  device!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  flags!: string[];

  @Column('uuid', { nullable: true })
  importFileId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
