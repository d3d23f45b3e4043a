/**
 * Runs an app's start-up and turns a failure into one readable line and exit code 1.
 * The stack is printed only with LOG_LEVEL=debug or trace: an operator needs the reason first.
 */
export function runEntryPoint(name: string, start: () => Promise<string>): void {
  start()
    .then((message) =>
      process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), context: name, msg: `${name} started: ${message}` })}\n`),
    )
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`Deload ${name} failed to start: ${reason}\n`);
      if (/^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '') && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    });
}
