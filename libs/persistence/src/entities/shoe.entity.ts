import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ShoeSource = 'strava' | 'import' | 'manual';

@Entity('shoes')
export class ShoeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @Column('text')
  source!: ShoeSource;

  /** Strava gear id ("g123"), or the gear name for export archives. */
  @Column('text')
  externalId!: string;

  @Column('text')
  name!: string;

  /** Distance the source reports for the shoe (Strava gear distance), metres; null when unknown. */
  @Column('double precision', { nullable: true })
  reportedDistanceM!: number | null;

  /** When reportedDistanceM was read; runs after it add to the shoe's distance. */
  @Column('timestamptz', { nullable: true })
  reportedAt!: Date | null;

  /** Runner's own retire threshold (or Strava notification_distance), metres. */
  @Column('double precision', { nullable: true })
  retireThresholdM!: number | null;

  @Column('boolean', { default: false })
  retired!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
