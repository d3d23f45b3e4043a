import { INestApplication } from '@nestjs/common';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { freePort } from '../support/ports';
import { testEnv } from '../support/test-env';

async function startApi(env: Record<string, string>): Promise<{ app: INestApplication; url: string }> {
  const app = await createApiApp(testEnv(env));
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('GET /health', () => {
  it('answers 200 when PostgreSQL, Redis and the queues’ connections are up', async () => {
    const { app, url } = await startApi({});
    try {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' }, queues: { status: 'up' } },
      });
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming Redis and the queues when Redis does not answer', async () => {
    const closedPort = await freePort();
    const { app, url } = await startApi({ REDIS_URL: `redis://127.0.0.1:${closedPort}` });
    try {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down' }, queues: { status: 'down', disconnected: expect.arrayContaining(['evaluate', 'notify']) } },
        info: { database: { status: 'up' } },
      });
      expect(Object.keys((body as { error: object }).error)).toEqual(['redis', 'queues']);
    } finally {
      await app.close();
    }
  });
});
