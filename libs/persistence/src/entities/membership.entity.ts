import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type MembershipStatus = 'active' | 'declined' | 'left';

/** A runner's consent to a coach's team. Only `active` memberships give the coach access. */
@Entity('memberships')
export class MembershipEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  teamId!: string;

  @Column('uuid')
  runnerId!: string;

  @Column('text')
  status!: MembershipStatus;

  @Column('timestamptz', { nullable: true })
  consentGivenAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  leftAt!: Date | null;

  /** What the runner agreed to share, as shown to them on the invite page. */
  @Column('jsonb', { default: () => "'{}'" })
  scope!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
