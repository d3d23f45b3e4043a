import { writeSync } from 'node:fs';
import pino, { DestinationStream } from 'pino';

/** `pretty`: one short line per event for a person at a terminal; `json`: one pino JSON object per line, for log collectors. */
export type LogFormat = 'pretty' | 'json';

/**
 * LOG_FORMAT when set; otherwise pretty when stdout is a terminal and JSON when it is not (a file,
 * a pipe, a container's log driver), so production keeps JSON without anyone asking for it.
 */
export function chooseLogFormat(configured: string | undefined, stdoutIsTerminal = !!process.stdout.isTTY): LogFormat {
  if (configured === 'pretty' || configured === 'json') return configured;
  return stdoutIsTerminal ? 'pretty' : 'json';
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS: Record<number, string> = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };

interface LogRecord {
  level?: number;
  time?: number;
  context?: string;
  msg?: string;
  req?: { method?: string; path?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { stack?: string; message?: string };
}

/** What a record says: its message, or for a request "POST /login 503 (12 ms)". */
function describe(record: LogRecord): string {
  if (record.req && record.res?.statusCode)
    return `${record.req.method} ${record.req.path} ${record.res.statusCode}${record.responseTime === undefined ? '' : ` (${record.responseTime} ms)`}`;
  const context = record.context ? `${record.context}: ` : '';
  return `${context}${record.msg ?? ''}`;
}

/** One pino record as a short line: `16:02:11 WARN  Persistence: cannot reach PostgreSQL…`; an error's stack below it. */
export function conciseLine(record: LogRecord, colours = false): string {
  const level = record.level ?? 30;
  const time = new Date(record.time ?? Date.now()).toTimeString().slice(0, 8);
  const name = (LEVEL_NAMES[level] ?? String(level)).padEnd(5);
  const shownName = colours && LEVEL_COLOURS[level] ? `${LEVEL_COLOURS[level]}${name}\x1b[0m` : name;
  const stack = level >= 50 && record.err?.stack ? `\n${record.err.stack}` : '';
  return `${time} ${shownName} ${describe(record)}${stack}\n`;
}

/** Turns each JSON line pino writes into a concise line on stdout (synchronously, like the JSON destination). */
function conciseDestination(): DestinationStream {
  const colours = !!process.stdout.isTTY;
  return {
    write(line: string) {
      let record: LogRecord;
      try {
        record = JSON.parse(line) as LogRecord;
      } catch {
        writeSync(1, line);
        return;
      }
      writeSync(1, conciseLine(record, colours));
    },
  };
}

/**
 * Where log lines go: stdout, written synchronously so the last lines before a shutdown or a
 * crash are not lost; concise lines or JSON as `format` says.
 */
export function logDestination(format: LogFormat): DestinationStream {
  return format === 'pretty' ? conciseDestination() : pino.destination({ dest: 1, sync: true });
}
