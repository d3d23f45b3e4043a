import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Single-use links that have been used (kept until they would have expired anyway). */
@Entity('consumed_tokens')
export class ConsumedTokenEntity {
  @PrimaryColumn('text')
  jti!: string;

  @Column('text')
  purpose!: string;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { default: () => 'now()' })
  consumedAt!: Date;
}
