/** Redis (the queues) cannot take work right now: the HTTP edge answers 503, callers with a durable record retry later. */
export class QueueUnavailableError extends Error {
  constructor(reason: string) {
    super(`the job queue is unavailable: ${reason}`);
    this.name = 'QueueUnavailableError';
  }
}

const REDIS_DOWN =
  /Stream isn't writeable|Connection is closed|Command timed out|Reached the max retries per request|connect ECONNREFUSED|getaddrinfo|ETIMEDOUT|ECONNRESET|LOADING Redis is loading/i;

/** True when an error says Redis is unreachable or not ready, rather than that a command was wrong. */
export function isQueueUnavailable(error: unknown): boolean {
  if (error instanceof QueueUnavailableError) return true;
  const candidate = error as { name?: unknown; message?: unknown } | undefined;
  if (candidate?.name === 'MaxRetriesPerRequestError') return true;
  return typeof candidate?.message === 'string' && REDIS_DOWN.test(candidate.message);
}

/** Redis connection states (ioredis `status`) in which a command cannot succeed now. */
export const DISCONNECTED_STATES: ReadonlySet<string> = new Set(['reconnecting', 'close', 'end']);

/** `work`, or QueueUnavailableError once `ms` pass without an answer (the command may still complete later). */
export async function withinQueueTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`${what}: no answer from Redis within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    if (isQueueUnavailable(error))
      throw error instanceof QueueUnavailableError ? error : new QueueUnavailableError((error as Error).message);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
