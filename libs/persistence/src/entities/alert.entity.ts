import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertResponse, RuleId, Severity } from '@deload/domain';

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

  /**
   * When the alert was last in an alert email (leading it or under "also this week") or settled as
   * part of an episode already emailed, and the highest severity covered (libs/rules → email-policy.ts).
   */
  @Column('timestamptz', { nullable: true })
  coveredAt!: Date | null;

  @Column('text', { nullable: true })
  coveredSeverity!: Severity | null;

  /** An alert email went for it and began an episode with it (long-run spikes are grouped by these). */
  @Column('boolean', { default: false })
  episodeStart!: boolean;

  /** The alerts this alert's requested email carries under "also this week", in order. */
  @Column('uuid', { array: true, default: () => "'{}'" })
  notifyAlso!: string[];

  /** Set when the lifecycle decided this alert leads an email; the notifier sends it. */
  @Column('timestamptz', { nullable: true })
  notifyRequestedAt!: Date | null;

  /** Severity at the last notify request: the lifecycle re-sends only when the severity rises above it. */
  @Column('text', { nullable: true })
  notifyRequestedSeverity!: Severity | null;

  @Column('timestamptz', { nullable: true })
  notifiedAt!: Date | null;

  @Column('text', { nullable: true })
  notifiedSeverity!: Severity | null;

  /** The acknowledgement or dismissal in force (alert_actions keeps them all), when, and the alert's severity then. */
  @Column('text', { nullable: true })
  response!: AlertResponse | null;

  @Column('timestamptz', { nullable: true })
  responseAt!: Date | null;

  @Column('text', { nullable: true })
  responseSeverity!: Severity | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
