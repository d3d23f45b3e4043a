import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RuleId, Severity } from '@deload/domain';

export type AlertState = 'open' | 'resolved';

@Entity('alerts')
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @Column('text')
  rule!: RuleId;

  @Column('text')
  severity!: Severity;

  /** Episode key: at most one open alert per (user, rule, dedupe key). */
  @Column('text')
  dedupeKey!: string;

  /** The numbers that triggered the rule. */
  @Column('jsonb')
  facts!: Record<string, unknown>;

  /** Pieces of the message (headline, suggestion…) as the engine produced them. */
  @Column('jsonb')
  message!: Record<string, unknown>;

  /** The facts were computed from Strava data: shown only where Strava data may be (libs/auth runner-data-policy), removed on deauthorization. */
  @Column('boolean', { default: false })
  usesStravaData!: boolean;

  @Column('text', { default: 'open' })
  state!: AlertState;

  @Column('timestamptz')
  firstSeenAt!: Date;

  @Column('timestamptz')
  lastSeenAt!: Date;

  @Column('timestamptz', { nullable: true })
  resolvedAt!: Date | null;

  /** Set when the lifecycle decided this alert must be emailed; the notifier sends it. */
  @Column('timestamptz', { nullable: true })
  notifyRequestedAt!: Date | null;

  /** Severity at the last notify request: the lifecycle re-sends only when the severity rises above it. */
  @Column('text', { nullable: true })
  notifyRequestedSeverity!: Severity | null;

  @Column('timestamptz', { nullable: true })
  notifiedAt!: Date | null;

  @Column('text', { nullable: true })
  notifiedSeverity!: Severity | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
