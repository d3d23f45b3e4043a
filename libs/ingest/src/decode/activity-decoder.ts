import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Piscina } from 'piscina';
import { DomainError, MappedRun } from '@deload/domain';
import { GarminCsvOptions, GarminCsvResult } from '../formats/garmin-connect-csv';
import { ParsedExport } from '../formats/parsed-entry';
import { ExportActivity } from '../formats/strava-export-csv';
import { DecodedValue, DecodeRequest, DecodeResult } from './decode-file';

/** How much one file's decoding may cost before it is stopped and the file refused. */
export interface DecodeBudget {
  /** Wall-clock time of one file's decode, from the moment a thread takes it. */
  timeoutMs: number;
  /** Heap of a decoding thread; past it the thread dies and the file is refused. */
  maxMemoryMb: number;
  /** Decoding threads (files decoded at once); more files wait their turn. */
  threads: number;
}

export const DECODE_BUDGET = Symbol('DECODE_BUDGET');

export const DEFAULT_DECODE_BUDGET: DecodeBudget = {
  timeoutMs: 30_000,
  maxMemoryMb: 768,
  threads: Math.max(1, Math.min(4, availableParallelism() - 1)),
};

const WORKER_FILE = 'decode.worker.js';

/**
 * The compiled worker next to this file; when running from the TypeScript sources (jest, the
 * benchmarks) the compiled copy in dist/, which `npm run build` and jest's global setup write.
 */
function workerFile(): string {
  const here = join(__dirname, WORKER_FILE);
  if (existsSync(here)) return here;
  const root = join(__dirname, '..', '..', '..', '..');
  const compiled = join(root, 'dist', relative(root, __dirname), WORKER_FILE);
  if (!existsSync(compiled)) throw new Error(`the decode worker ${compiled} is missing: run \`npm run build\``);
  return compiled;
}

/** The dates of a decoded result (MappedRun.startUtc, ExportActivity.date), rebuilt from their JSON text. */
const DATE_FIELDS = new Set(['startUtc', 'date']);

/**
 * Rebuilds a result sent as JSON. Objects made here belong to the caller's realm, which matters
 * when it is not the thread's (jest runs tests in a vm context): run-merge compares runs deeply.
 */
function parseResult(text: string): unknown {
  return JSON.parse(text, (key, value) => (DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value));
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * Decodes uploaded and imported files off the event loop: each file in a worker thread of a small
 * pool, under a time and memory budget. A decode past its time is stopped by terminating its
 * thread (a runaway parser cannot be interrupted any other way), and the file is refused with the
 * reason; the pool replaces the thread. Nothing here knows about the database: bytes in, runs out.
 */
@Injectable()
export class ActivityDecoder implements OnApplicationShutdown {
  private readonly logger = new Logger(ActivityDecoder.name);
  private readonly budget: DecodeBudget;
  private pool?: Piscina;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@Optional() @Inject(DECODE_BUDGET) budget?: Partial<DecodeBudget>) {
    this.budget = { ...DEFAULT_DECODE_BUDGET, ...budget };
  }

  /** Runs of one activity file; DomainError (the reason) when the file is refused. */
  activityFile(bytes: Uint8Array, maxBytes: number): Promise<MappedRun[]> {
    if (bytes.length > maxBytes) {
      return Promise.reject(
        new DomainError(
          'too_large',
          `too large: ${megabytes(bytes.length)}, more than the ${megabytes(maxBytes)} an activity file may have`,
        ),
      );
    }
    return this.decode({ kind: 'activity-file', bytes, maxBytes });
  }

  /** The lines of a Strava export's activities.csv. */
  activitiesCsv(bytes: Uint8Array): Promise<ExportActivity[]> {
    return this.decode({ kind: 'activities-csv', bytes });
  }

  /** A Garmin Connect activities CSV: an entry per line (a TrackFormatError's `problem` in the DomainError's details). */
  garminCsv(bytes: Uint8Array, options: GarminCsvOptions): Promise<GarminCsvResult> {
    return this.decode({ kind: 'garmin-csv', bytes, options });
  }

  /** A Garmin Connect export's summarizedActivities JSON: an entry per activity. */
  garminSummaries(bytes: Uint8Array, fileName: string): Promise<ParsedExport> {
    return this.decode({ kind: 'garmin-summaries', bytes, fileName });
  }

  /** A Polar Flow training-session JSON: an entry per exercise. */
  polarSession(bytes: Uint8Array, fileName: string): Promise<ParsedExport> {
    return this.decode({ kind: 'polar-session', bytes, fileName });
  }

  /**
   * Starts a decoding thread ahead of the first file (a thread takes a second or more to start on a
   * busy machine): for the process that imports uploads, so the first one is as quick as the next.
   */
  async warmUp(): Promise<void> {
    await this.polarSession(new TextEncoder().encode('{}'), 'warm-up.json').catch(() => undefined);
  }

  /**
   * The last of the shutdown hooks: the graceful stop (beforeApplicationShutdown) lets the import
   * folder and the queue jobs finish the file they are decoding first.
   */
  async onApplicationShutdown(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }

  private async decode<R extends DecodeRequest>(request: R): Promise<DecodedValue[R['kind']]> {
    await this.turn();
    try {
      const result = await this.runInThread(request);
      if (result.ok) return result.value;
      if (result.internal) this.logger.warn(`a decoder failed on a ${request.kind} of ${request.bytes.length} bytes: ${result.internal}`);
      throw new DomainError(result.kind, result.reason, result.details);
    } finally {
      this.release();
    }
  }

  /** Waits for a free thread, so a file's time budget only starts when a thread takes it. */
  private async turn(): Promise<void> {
    if (this.running < this.budget.threads) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the thread to the next file waiting, if any. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }

  private async runInThread<R extends DecodeRequest>(request: R): Promise<DecodeResult<DecodedValue[R['kind']]>> {
    // A copy of its own to hand over: the caller's buffer may be a slice of a shared one.
    const bytes = new Uint8Array(request.bytes);
    try {
      const text: string = await this.threads().run(
        { ...request, bytes },
        { transferList: [bytes.buffer], signal: AbortSignal.timeout(this.budget.timeoutMs) },
      );
      return parseResult(text) as DecodeResult<DecodedValue[R['kind']]>;
    } catch (error) {
      if ((error as Error).name === 'AbortError') {
        const limit = this.budget.timeoutMs < 1000 ? `${this.budget.timeoutMs} ms` : `${Math.round(this.budget.timeoutMs / 1000)} s`;
        throw new DomainError('invalid', `refused: reading the file took longer than ${limit}, so it was stopped`);
      }
      if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new DomainError('too_large', `refused: reading the file needed more than ${this.budget.maxMemoryMb} MB of memory`);
      }
      throw error;
    }
  }

  private threads(): Piscina {
    if (this.pool) return this.pool;
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: 0,
      maxThreads: this.budget.threads,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: this.budget.maxMemoryMb },
    });
    // A thread that dies outside a task (out of memory as it starts) must not take the process with it.
    this.pool.on('error', (error: Error) => this.logger.warn(`a decoding thread died: ${error.message}`));
    return this.pool;
  }
}
