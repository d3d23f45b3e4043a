import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PainLocation, PainReportSource, PainSide } from '@deload/domain';

@Entity('pain_reports')
export class PainReportEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @Column('uuid')
  runId!: string;

  /** False for an explicit "no pain" report, which matters as much as a pain report. */
  @Column('boolean', { default: true })
  hasPain!: boolean;

  @Column('text', { nullable: true })
  location!: PainLocation | null;

  @Column('text', { nullable: true })
  side!: PainSide | null;

  @Column('double precision', { nullable: true })
  onsetM!: number | null;

  @Column('double precision', { nullable: true })
  onsetS!: number | null;

  @Column('smallint', { nullable: true })
  severity!: number | null;

  @Column('text')
  source!: PainReportSource;

  /** The words the runner wrote, when the report was parsed from text. */
  @Column('text', { nullable: true })
  note!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
