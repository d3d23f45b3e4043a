import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('teams')
export class TeamEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('uuid')
  coachId!: string;

  /** Random, unguessable code in the invite link; rotating it revokes old links. */
  @Column('text')
  inviteCode!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
