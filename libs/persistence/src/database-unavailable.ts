/** Node socket errors that mean PostgreSQL could not be reached. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATEs of a server that is down, starting, shutting down or full (classes 08 and 57P, and 53300). */
const SQLSTATE = /^(08...|57P0[1-4]|53300)$/;
const MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Connection is not established|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * True when an error says PostgreSQL is unreachable (down, restarting, overloaded) rather than that
 * a query was wrong: the HTTP edge answers 503 for it, and webhook intake spools the event.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth += 1) {
    const candidate = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && (NETWORK_CODES.has(candidate.code) || SQLSTATE.test(candidate.code))) return true;
    if (typeof candidate.message === 'string' && MESSAGES.test(candidate.message)) return true;
    current = candidate.driverError ?? candidate.cause;
  }
  return false;
}
