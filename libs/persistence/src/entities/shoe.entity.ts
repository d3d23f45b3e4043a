import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ShoeSource = 'strava' | 'import' | 'manual';

/** Fields of a shoe the runner can change here; a Strava sync keeps those the runner changed. */
export const LOCALLY_EDITABLE_SHOE_FIELDS = ['name', 'brand', 'model', 'retireThresholdM', 'retired'] as const;
export type LocallyEditableShoeField = (typeof LOCALLY_EDITABLE_SHOE_FIELDS)[number];

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

  @Column('text', { nullable: true })
  brand!: string | null;

  @Column('text', { nullable: true })
  model!: string | null;

  /** Distance already on the shoe before the runs we store (entered by the runner), metres; not used when a source reports the distance. */
  @Column('double precision', { default: 0 })
  startingDistanceM!: number;

  /** Sports (`Sport`) whose new runs without gear get this shoe; a sport is the default of at most one of the runner's shoes. */
  @Column('text', { array: true, default: () => "'{}'" })
  defaultForSports!: string[];

  /** Fields the runner changed in Deload: a Strava sync does not overwrite them. */
  @Column('text', { array: true, default: () => "'{}'" })
  locallyEdited!: LocallyEditableShoeField[];

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
