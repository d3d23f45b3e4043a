import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './transformers';

export type ImportFileStatus = 'imported' | 'duplicate' | 'rejected';
export type ImportChannel = 'upload' | 'cli' | 'watch' | 'demo';

/** One file received for import and what became of it (shown on the runner's page). */
@Entity('import_files')
export class ImportFileEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @Column('text')
  filename!: string;

  @Column('text')
  sha256!: string;

  @Column('bigint', { transformer: bigintAsNumber })
  sizeBytes!: number;

  @Column('text')
  status!: ImportFileStatus;

  /** Human reason when rejected (e.g. "truncated: file ends inside a data record"). */
  @Column('text', { nullable: true })
  error!: string | null;

  @Column('integer', { default: 0 })
  runsImported!: number;

  @Column('text')
  channel!: ImportChannel;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
