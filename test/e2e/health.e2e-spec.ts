import { freePort } from '../support/ports';
import { startStack } from '../support/stack';

describe('GET /health', () => {
  it('answers 200 when PostgreSQL, Redis and the queues’ connections are up', async () => {
    const stack = await startStack({ api: true });
    try {
      const response = await fetch(`${stack.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' }, queues: { status: 'up' } },
      });
    } finally {
      await stack.stop();
    }
  });

  it('answers 503 naming Redis and the queues when Redis does not answer', async () => {
    const closedPort = await freePort();
    const stack = await startStack({ api: true, env: { REDIS_URL: `redis://127.0.0.1:${closedPort}` } });
    try {
      const response = await fetch(`${stack.url}/health`);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down' }, queues: { status: 'down', disconnected: expect.arrayContaining(['evaluate', 'notify']) } },
        info: { database: { status: 'up' } },
      });
      expect(Object.keys((body as { error: object }).error)).toEqual(['redis', 'queues']);
    } finally {
      await stack.stop();
    }
  });
});
