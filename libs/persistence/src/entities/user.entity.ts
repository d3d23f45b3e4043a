import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AlertEmailLevel, DistanceUnit, Role } from '@deload/domain';

export type PainCheckinPreference = 'auto' | 'on' | 'off';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-case; unique. */
  @Column('text')
  email!: string;

  @Column('text', { nullable: true })
  displayName!: string | null;

  @Column('text', { default: 'runner' })
  role!: Role;

  /** An operator, granted by `deload admin grant`: sees every email in the outbox except other people's sign-in links. */
  @Column('boolean', { default: false })
  isAdmin!: boolean;

  @Column('text', { default: 'km' })
  units!: DistanceUnit;

  /** IANA time zone; days and weeks are counted in it. */
  @Column('text', { default: 'UTC' })
  timezone!: string;

  /** Which alert emails the runner wants: all, only the strongest warnings, or none (weekly summary only). */
  @Column('text', { default: 'all' })
  alertEmails!: AlertEmailLevel;

  @Column('boolean', { default: true })
  emailWeeklySummary!: boolean;

  /** Coaches: the weekly digest of their teams. */
  @Column('boolean', { default: true })
  emailCoachDigest!: boolean;

  /** "How did it feel?" email after a run: auto = on once the runner has ever reported pain. */
  @Column('text', { default: 'auto' })
  painCheckin!: PainCheckinPreference;

  /** Per-runner overrides of rule thresholds (validated by libs/rules). */
  @Column('jsonb', { default: () => "'{}'" })
  ruleThresholds!: Record<string, unknown>;

  /** Last time we know the runner's history was complete (a sync or an import finished). */
  @Column('timestamptz', { nullable: true })
  lastSyncedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
