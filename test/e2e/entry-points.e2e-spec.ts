import { freePort } from '../support/ports';
import { RunningProcess, startCompiled } from '../support/processes';
import { testEnv } from '../support/test-env';

const STACK_LINE = /^\s+at .+\(.*:\d+:\d+\)$/m;

/**
 * The api on a port that was free a moment ago (PORT cannot be 0). Between freePort() and the
 * api's listen another process may take that port; then the api exits with EADDRINUSE and gets
 * another one. Any other failure to start fails the test.
 */
async function startApiOnFreePort(env: Record<string, string>): Promise<{ api: RunningProcess; port: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const api = startCompiled('dist/apps/api/src/main.js', [], testEnv({ ...env, PORT: String(port) }));
    try {
      await api.waitForOutput(/api started: listening on port/);
      return { api, port };
    } catch (error) {
      const { stderr } = await api.stop();
      if (attempt < 3 && /EADDRINUSE/.test(stderr)) continue;
      throw error;
    }
  }
}

describe('entry points', () => {
  it.each(['dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js'])(
    '%s refuses a bad configuration with one line per problem',
    async (entry) => {
      const run = startCompiled(
        entry,
        [],
        testEnv({ PORT: 'eighty', REDIS_URL: 'localhost:6379', NODE_ENV: 'production', SECRET_KEY: '' }),
      );
      const { code, stderr } = await run.finished;
      expect(code).toBe(1);
      expect(stderr).toMatch(/^Deload cannot start: invalid configuration$/m);
      expect(stderr).toMatch(/^ {2}PORT must be a whole number \(got "eighty"\)$/m);
      expect(stderr).toMatch(/^ {2}REDIS_URL must be a URL starting with redis:\/\/ or rediss:\/\/ \(got "localhost:6379"\)$/m);
      expect(stderr).toMatch(/^ {2}SECRET_KEY is required when NODE_ENV=production/m);
      expect(stderr).not.toMatch(STACK_LINE);
    },
  );

  it('api serves /health and shuts down cleanly on SIGTERM', async () => {
    const { api, port } = await startApiOnFreePort({ LOG_LEVEL: 'info' });
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    expect(response.status).toBe(200);
    await api.stop('SIGTERM');
    expect(api.stdout).toMatch(/shutting down on SIGTERM[\s\S]*stopped: connections closed/);
  });

  it('worker starts, checks its processors, and shuts down cleanly on SIGTERM', async () => {
    const worker = startCompiled('dist/apps/worker/src/main.js', [], testEnv({ LOG_LEVEL: 'info' }));
    await worker.waitForOutput(/worker started: processing queues/);
    await worker.stop('SIGTERM');
    expect(worker.stdout).toMatch(/shutting down on SIGTERM[\s\S]*stopped: connections closed/);
  });

  it('api reports an unreachable database in one line and exits 1', async () => {
    const closedPort = await freePort();
    const api = startCompiled(
      'dist/apps/api/src/main.js',
      [],
      testEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/deload`, DATABASE_CONNECT_RETRIES: '0' }),
    );
    const { code, stderr } = await api.finished;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Deload api failed to start: .*ECONNREFUSED/m);
    expect(stderr).not.toMatch(STACK_LINE);
  });
});
