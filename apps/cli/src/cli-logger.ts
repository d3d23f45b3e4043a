import type { LoggerService } from '@nestjs/common';

/**
 * What the Nest modules a command boots may say: only warnings, on stderr ("deload: cannot reach
 * PostgreSQL at …, trying again in 3 s"), so a command waiting for the database says why, and stdout
 * stays the command's own output. Errors are not repeated here: the command reports them once.
 */
export const CLI_LOGGER: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: (message: unknown) => {
    process.stderr.write(`deload: ${String(message)}\n`);
  },
  debug: () => undefined,
  verbose: () => undefined,
};
