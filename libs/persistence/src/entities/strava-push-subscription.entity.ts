import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './transformers';

/** The push subscription `deload strava:subscribe` created; webhook events must carry its id. */
@Entity('strava_push_subscriptions')
export class StravaPushSubscriptionEntity {
  @PrimaryColumn('bigint', { transformer: bigintAsNumber })
  id!: number;

  @Column('text')
  callbackUrl!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
