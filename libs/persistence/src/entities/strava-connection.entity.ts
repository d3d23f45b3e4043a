import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from './transformers';

@Entity('strava_connections')
export class StravaConnectionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @Column('bigint', { transformer: bigintAsNumber })
  athleteId!: number;

  /** Scopes the athlete actually granted (they can untick some). */
  @Column('text', { array: true, default: () => "'{}'" })
  scopes!: string[];

  /** AES-256-GCM ciphertexts (see libs/crypto); never the plain tokens. */
  @Column('text')
  accessTokenEnc!: string;

  @Column('text')
  refreshTokenEnc!: string;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  backfilledAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
