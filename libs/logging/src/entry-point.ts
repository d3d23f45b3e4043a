import { chooseLogFormat, conciseLine } from './log-format';

/** The line that says a service is up, in the format of every other line (LOG_FORMAT); printed whatever LOG_LEVEL says. */
function writeStartedLine(name: string, message: string): void {
  const record = { level: 30, time: Date.now(), pid: process.pid, context: name, msg: message };
  if (chooseLogFormat(process.env.LOG_FORMAT) === 'pretty') process.stdout.write(conciseLine({ ...record, context: undefined }));
  else process.stdout.write(`${JSON.stringify(record)}\n`);
}

/**
 * Runs an app's start-up, then prints the one line saying what runs where (`start` returns it, e.g.
 * "Deload api listening on http://localhost:3000"); a failure becomes one readable line and exit
 * code 1. The stack is printed only with LOG_LEVEL=debug or trace: an operator needs the reason first.
 */
export function runEntryPoint(name: string, start: () => Promise<string>): void {
  start()
    .then((message) => writeStartedLine(name, message))
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`Deload ${name} failed to start: ${reason}\n`);
      if (/^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '') && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    });
}
