import { isQueueUnavailable, QueueUnavailableError, withinQueueTimeout } from './queue-unavailable';

describe('queue unavailability', () => {
  it('recognises ioredis errors of a Redis that is away', () => {
    expect(isQueueUnavailable(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isQueueUnavailable(new Error('Command timed out'))).toBe(true);
    expect(
      isQueueUnavailable(
        Object.assign(new Error('Reached the max retries per request limit (which is 2).'), { name: 'MaxRetriesPerRequestError' }),
      ),
    ).toBe(true);
    expect(isQueueUnavailable(new QueueUnavailableError('down'))).toBe(true);
    expect(isQueueUnavailable(new Error('ERR wrong number of arguments'))).toBe(false);
  });

  it('gives up waiting after the timeout with QueueUnavailableError', async () => {
    const never = new Promise<void>(() => undefined);
    await expect(withinQueueTimeout(never, 20, 'adding a job')).rejects.toThrow(/no answer from Redis within 20 ms/);
    await expect(withinQueueTimeout(Promise.resolve(7), 20, 'adding a job')).resolves.toBe(7);
  });

  it('turns a Redis connection error into QueueUnavailableError and leaves other errors alone', async () => {
    await expect(withinQueueTimeout(Promise.reject(new Error('Connection is closed.')), 1_000, 'x')).rejects.toBeInstanceOf(
      QueueUnavailableError,
    );
    await expect(withinQueueTimeout(Promise.reject(new TypeError('bug')), 1_000, 'x')).rejects.toBeInstanceOf(TypeError);
  });
});
