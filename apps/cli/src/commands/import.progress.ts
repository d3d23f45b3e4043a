import type { ImportProgress } from '@deload/ingest';

/** Where progress is drawn: process.stderr, or a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressDisplayOptions {
  /** Plain mode: a line each time this many more activities are accounted for. */
  linesEvery?: number;
  /** Bar mode: the bar is redrawn at most this often (ms), so a fast import does not flood the terminal. */
  redrawEveryMs?: number;
  now?: () => number;
}

/** What an import reports as it goes: a bar on a terminal, a few plain lines in a log. */
export interface ProgressDisplay {
  update(progress: ImportProgress): void;
  /** Clears the bar (the summary follows) or writes the last file's closing line. */
  finish(): void;
}

const BAR_WIDTH = 24;
const CLEAR_LINE = '\r\x1b[K';

/** A bar redrawn in place on a terminal; plain lines when the output is a pipe, a file or a dumb terminal. */
export function progressDisplay(stream: ProgressStream, options: ProgressDisplayOptions = {}): ProgressDisplay {
  const interactive = stream.isTTY === true && process.env.TERM !== 'dumb';
  return interactive ? new ProgressBar(stream, options) : new ProgressLines(stream, options);
}

const activities = (count: number) => `${count} ${count === 1 ? 'activity' : 'activities'}`;

/** "1m 05s", "42s", "1h 03m": how long is left, short. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** The time left for a file's activities at the pace so far; undefined until there is a pace to go by, and once all are done. */
export function estimateSecondsLeft(done: number, total: number | undefined, elapsedMs: number): number | undefined {
  if (total === undefined || done <= 0 || elapsedMs < 1000 || done >= total) return undefined;
  return ((total - done) * elapsedMs) / done / 1000;
}

/** Tracks when each file started, so the ETA is the current file's own pace. */
class FileClock {
  private filename?: string;
  private startedAt = 0;

  constructor(private readonly now: () => number) {}

  /** Whether this progress starts a new file (and the clock restarts). */
  observe(progress: ImportProgress): boolean {
    if (progress.filename === this.filename) return false;
    this.filename = progress.filename;
    this.startedAt = this.now();
    return true;
  }

  elapsedMs(): number {
    return this.now() - this.startedAt;
  }
}

class ProgressBar implements ProgressDisplay {
  private readonly clock: FileClock;
  private readonly now: () => number;
  private lastDrawnAt = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressDisplayOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.clock = new FileClock(this.now);
  }

  update(progress: ImportProgress): void {
    const newFile = this.clock.observe(progress);
    const complete = progress.total !== undefined && progress.done >= progress.total;
    if (!newFile && !complete && this.now() - this.lastDrawnAt < (this.options.redrawEveryMs ?? 100)) return;
    this.lastDrawnAt = this.now();
    this.stream.write(`${CLEAR_LINE}${this.line(progress)}`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.stream.write(CLEAR_LINE);
    this.drawn = false;
  }

  private line(progress: ImportProgress): string {
    const { done, total } = progress;
    const counts = total === undefined ? activities(done) : `${this.bar(done, total)} ${done}/${total}`;
    const left = estimateSecondsLeft(done, total, this.clock.elapsedMs());
    const eta = left === undefined ? '' : `  ETA ${formatDuration(left)}`;
    const head = `${counts}${eta}  ${progress.filename}`;
    const current = progress.current ? ` › ${progress.current}` : '';
    return fitTo(this.stream.columns, head, current);
  }

  private bar(done: number, total: number): string {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * BAR_WIDTH);
    return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)} %`;
  }
}

/** The line cut to the terminal's width (one column spare, so it never wraps): the current item goes first. */
function fitTo(columns: number | undefined, head: string, tail: string): string {
  const width = (columns || 80) - 1; // a pseudo-terminal may say 0
  const whole = head + tail;
  if (whole.length <= width) return whole;
  if (head.length <= width) return `${head}${tail.slice(0, Math.max(0, width - head.length - 1))}${tail ? '…' : ''}`.slice(0, width);
  return `${head.slice(0, width - 1)}…`;
}

class ProgressLines implements ProgressDisplay {
  private readonly clock: FileClock;
  private last?: ImportProgress;
  private printedDone = 0;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressDisplayOptions,
  ) {
    this.clock = new FileClock(options.now ?? Date.now);
  }

  update(progress: ImportProgress): void {
    if (this.clock.observe(progress)) {
      this.closeFile();
      this.printedDone = 0;
    }
    this.last = progress;
    if (progress.done - this.printedDone >= (this.options.linesEvery ?? 100)) this.print(progress);
  }

  finish(): void {
    this.closeFile();
    this.last = undefined;
  }

  /** The file's closing line, when it held several activities and the last line did not already say all. */
  private closeFile(): void {
    const last = this.last;
    if (last && last.done > 1 && last.done !== this.printedDone) this.print(last);
  }

  private print(progress: ImportProgress): void {
    const { done, total } = progress;
    const counts = total === undefined ? activities(done) : `${done}/${total} activities`;
    const left = estimateSecondsLeft(done, total, this.clock.elapsedMs());
    const eta = left === undefined ? '' : `, about ${formatDuration(left)} left`;
    this.stream.write(`deload: ${progress.filename}: ${counts}${eta}\n`);
    this.printedDone = done;
  }
}
