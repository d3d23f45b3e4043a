import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ImportChannel } from '@deload/persistence';
import { ArchiveLimits } from '../archive/limits';
import { DistanceUnit } from '../formats/garmin-connect-csv';
import { TrackFormatError } from '../formats/track-format-error';
import { ImportProgressListener } from '../import-progress';

export interface FileImportOptions {
  limits?: Partial<ArchiveLimits>;
  /** Told after each activity accounted for (the CLI's progress bar). */
  onProgress?: ImportProgressListener;
  /** The unit of a Garmin Connect CSV's distances when the file leaves it open (the runner said so). */
  distanceUnit?: DistanceUnit;
}

/** A file (or an archive's entry, or an export's activity) as recorded in import_files. */
export interface Received {
  filename: string;
  sha256: string;
  sizeBytes: number;
  channel: ImportChannel;
}

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The time an archive's import may take; the activities left when it runs out are refused, each with the reason. */
export class ArchiveDeadline {
  private readonly endsAt: number;

  constructor(private readonly seconds: number) {
    this.endsAt = Date.now() + seconds * 1000;
  }

  passed(): boolean {
    return Date.now() > this.endsAt;
  }

  reason(): string {
    return `not imported: the archive took longer than ${Math.round(this.seconds / 60)} minutes to import; upload the rest in smaller parts`;
  }

  /**
   * The chunks of a long stream (Apple Health's export.xml: gigabytes, no per-file decode
   * timeout fits it), stopped with the reason once the archive's time is up.
   */
  async *bound<T>(chunks: AsyncIterable<T>): AsyncIterable<T> {
    for await (const chunk of chunks) {
      if (this.passed()) throw new TrackFormatError(this.reason(), 'too_large');
      yield chunk;
    }
  }
}

/** Counts the activities of one received file as they are accounted for, and tells the listener. */
export class ProgressTally {
  private done = 0;
  private total?: number;

  constructor(
    private readonly filename: string,
    private readonly listener?: ImportProgressListener,
  ) {}

  /** More activities known to come (an export's listing, a CSV's lines). */
  expect(count: number): void {
    this.total = (this.total ?? 0) + count;
  }

  accounted(current: string): void {
    this.done += 1;
    if (this.total !== undefined && this.done > this.total) this.total = this.done;
    this.listener?.({ filename: this.filename, done: this.done, total: this.total, current });
  }
}

/** One received file's import: for whom, through which way in, under which limits. */
export interface ImportJob {
  userId: string;
  options: FileImportOptions;
  limits: ArchiveLimits;
  deadline: ArchiveDeadline;
  progress: ProgressTally;
}
