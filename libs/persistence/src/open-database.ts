import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, DataSourceOptions } from 'typeorm';
import { hostAndPort } from '@deload/config';
import { isDatabaseUnavailable } from './database-unavailable';
import { ensureDatabase, redactUrl } from './ensure-database';

export interface ConnectRetries {
  /** Attempts after the first one fails because PostgreSQL cannot be reached (DATABASE_CONNECT_RETRIES). */
  retries: number;
  delayMs: number;
}

const SERVER_CHECK = 'is PostgreSQL running there, and are the host and port in DATABASE_URL right?';
/** SQLSTATEs of a server that answered but refused the user: retrying will not help. */
const REFUSED_USER = new Set(['28P01', '28000']);

function serverOf(url: string): string {
  return hostAndPort(url, 5432);
}

/** A connection error's own words; Node's "connect to every address" failure has none but its parts'. */
function reasonOf(error: unknown): string {
  const candidate = error as { message?: string; errors?: { message?: string }[]; code?: string };
  return candidate.message || candidate.errors?.map((part) => part.message).join(', ') || candidate.code || String(error);
}

/** The error to stop start-up with: what failed and what to check. */
function explained(error: unknown, url: string, attempts: number): Error {
  const code = (error as { code?: string }).code ?? '';
  if (REFUSED_USER.has(code))
    return new Error(
      `PostgreSQL at ${serverOf(url)} refused the connection (${reasonOf(error)}): check the user and password in DATABASE_URL`,
    );
  if (!isDatabaseUnavailable(error)) return error instanceof Error ? error : new Error(reasonOf(error));
  const tries = attempts === 1 ? '' : ` after ${attempts} attempts`;
  return new Error(
    `cannot reach PostgreSQL at ${serverOf(url)}${tries} (${reasonOf(error)}): ${SERVER_CHECK} DATABASE_CONNECT_RETRIES sets how many times to try again, 3 s apart`,
  );
}

/**
 * Connects to the database in DATABASE_URL (creating it when missing). While PostgreSQL cannot be
 * reached — still starting under docker compose, or not running — tries again `retries` times,
 * saying so at each attempt with what to check; any other failure (a refused password) stops at once.
 */
export async function openDatabase(
  options: DataSourceOptions & { url: string },
  { retries, delayMs }: ConnectRetries,
): Promise<DataSource> {
  const logger = new Logger('Persistence');
  for (let attempt = 1; ; attempt += 1) {
    try {
      if ((await ensureDatabase(options.url)) === 'created') logger.log(`created database ${redactUrl(options.url)}`);
      return await new DataSource(options).initialize();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || attempt > retries) throw explained(error, options.url, attempt);
      logger.warn(
        `cannot reach PostgreSQL at ${serverOf(options.url)} (${reasonOf(error)}): ${SERVER_CHECK} Trying again in ${delayMs / 1000} s (attempt ${attempt + 1} of ${retries + 1})`,
      );
      await sleep(delayMs);
    }
  }
}
