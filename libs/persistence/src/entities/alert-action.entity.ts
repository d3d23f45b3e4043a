import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DismissReason, Severity } from '@deload/domain';

export type AlertActionKind = 'acknowledged' | 'dismissed' | 'withdrawn';

/** One thing a runner or coach did about an alert: acknowledged, dismissed (with a reason), or withdrew that. */
@Entity('alert_actions')
export class AlertActionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  alertId!: string;

  /** Who did it; null once their account is gone. */
  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Column('text')
  action!: AlertActionKind;

  /** Why it was dismissed (dismissals only). */
  @Column('text', { nullable: true })
  reason!: DismissReason | null;

  @Column('text', { nullable: true })
  note!: string | null;

  /** The alert's severity when it was done. */
  @Column('text')
  severity!: Severity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
