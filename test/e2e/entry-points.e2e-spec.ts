import { createServer, Server } from 'node:net';
import { PUBLIC_DEVELOPMENT_SECRET_KEY } from '../../libs/config/src';
import { freePort } from '../support/ports';
import { RunningProcess, startCompiled } from '../support/processes';
import { testEnv } from '../support/test-env';

const STACK_LINE = /^\s+at .+\(.*:\d+:\d+\)$/m;

/**
 * The api on a port that was free a moment ago (PORT cannot be 0). Between freePort() and the
 * api's listen another process may take that port; then the api says it is in use and gets
 * another one. Any other failure to start fails the test.
 */
async function startApiOnFreePort(env: Record<string, string>): Promise<{ api: RunningProcess; port: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const api = startCompiled('dist/apps/api/src/main.js', [], testEnv({ ...env, PORT: String(port) }));
    try {
      await api.waitForOutput(/Deload api listening on/);
      return { api, port };
    } catch (error) {
      const { stderr } = await api.stop();
      if (attempt < 3 && /is already in use/.test(stderr)) continue;
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
    await worker.waitForOutput(/Deload worker processing/);
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

  it('a CLI command that needs the database says on stderr each time it cannot reach it, then exits 1', async () => {
    const closedPort = await freePort();
    const importing = startCompiled(
      'dist/apps/cli/src/main.js',
      ['import', 'package.json', '--user', 'nobody@example.com'],
      testEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/deload`, DATABASE_CONNECT_RETRIES: '1' }),
    );
    const { code, stdout, stderr } = await importing.finished;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^deload: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${closedPort} .*Trying again in 3 s \\(attempt 2 of 2\\)$`, 'm'),
    );
    expect(stderr).toMatch(/after 2 attempts/);
    expect(stdout).toBe('');
  });

  it('api refuses a DATABASE_URL that names no database, before connecting', async () => {
    const run = startCompiled('dist/apps/api/src/main.js', [], testEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432' }));
    const { code, stderr } = await run.finished;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^ {2}DATABASE_URL must name a database after the port, e\.g\. postgres:\/\/postgres@127\.0\.0\.1:5432\/deload/m,
    );
  });

  it('api and worker refuse an unknown LOG_FORMAT', async () => {
    const run = startCompiled('dist/apps/worker/src/main.js', [], testEnv({ LOG_FORMAT: 'text' }));
    const { code, stderr } = await run.finished;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ {2}LOG_FORMAT must be pretty or json \(unset: pretty at a terminal, json otherwise\) \(got "text"\)$/m);
  });

  it('api logs each attempt to reach a closed database port as it happens, in JSON, with what to check', async () => {
    const closedPort = await freePort();
    const api = startCompiled(
      'dist/apps/api/src/main.js',
      [],
      testEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/deload`, DATABASE_CONNECT_RETRIES: '2', LOG_LEVEL: 'info' }),
    );
    await api.waitForOutput(/attempt 2 of 3/);
    expect(api.child.exitCode).toBeNull();
    const { code, stdout, stderr } = await api.finished;
    expect(code).toBe(1);
    const warnings = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; context: string; msg: string });
    expect(warnings.map((line) => line.msg)).toEqual([
      expect.stringMatching(/attempt 2 of 3\)$/),
      expect.stringMatching(/attempt 3 of 3\)$/),
    ]);
    expect(warnings[0]).toMatchObject({ level: 40, context: 'Persistence' });
    expect(warnings[0].msg).toBe(
      `cannot reach PostgreSQL at 127.0.0.1:${closedPort} (connect ECONNREFUSED 127.0.0.1:${closedPort}): is PostgreSQL running there, and are the host and port in DATABASE_URL right? Trying again in 3 s (attempt 2 of 3)`,
    );
    expect(stderr).toMatch(
      new RegExp(`^Deload api failed to start: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${closedPort} after 3 attempts`, 'm'),
    );
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('api says at once which variable to set when PORT is taken, and exits 1', async () => {
    const port = await freePort();
    const taken: Server = await new Promise((resolve) => {
      const server = createServer().listen(port, () => resolve(server));
    });
    try {
      const { code, stdout, stderr } = await startCompiled(
        'dist/apps/api/src/main.js',
        [],
        testEnv({ PORT: String(port), LOG_LEVEL: 'info' }),
      ).finished;
      expect(code).toBe(1);
      expect(stderr).toBe(
        `Deload api failed to start: port ${port} is already in use (another Deload, or another program, listens there): stop it, or set PORT to a free port, e.g. PORT=${port + 1}\n`,
      );
      expect(stdout).toBe('');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('api at a terminal (LOG_FORMAT=pretty) prints one readable line with its URL, Nest chatter only at debug, and warns of the development key', async () => {
    const port = await freePort();
    const env = {
      LOG_FORMAT: 'pretty',
      LOG_LEVEL: 'info',
      PORT: String(port),
      LISTEN_HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    };
    const api = startCompiled('dist/apps/api/src/main.js', [], testEnv({ ...env, SECRET_KEY: PUBLIC_DEVELOPMENT_SECRET_KEY }));
    await api.waitForOutput(/Deload api listening on/);
    await api.stop('SIGTERM');
    const lines = api.stdout.split('\n').filter(Boolean);
    expect(lines).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d WARN {2}Config: SECRET_KEY is the public development key: anyone can forge sign-in links/),
      expect.stringMatching(new RegExp(`^\\d\\d:\\d\\d:\\d\\d INFO {2}Deload api listening on http://127\\.0\\.0\\.1:${port}$`)),
      expect.stringMatching(/INFO {2}Lifecycle: shutting down on SIGTERM/),
      expect.stringMatching(/INFO {2}Lifecycle: stopped: connections closed/),
    ]);

    const debug = startCompiled('dist/apps/api/src/main.js', [], testEnv({ ...env, LOG_FORMAT: 'json', LOG_LEVEL: 'debug' }));
    await debug.waitForOutput(/Deload api listening on/);
    await debug.stop('SIGTERM');
    const records = debug.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; context?: string });
    const chatter = records.filter((record) => record.context === 'RouterExplorer' || record.context === 'InstanceLoader');
    expect(chatter.length).toBeGreaterThan(10);
    expect(chatter.every((record) => record.level === 20)).toBe(true);
  });

  it('api starts without Redis and says where it looked and what to check', async () => {
    const port = await freePort();
    const { api } = await startApiOnFreePort({ LOG_LEVEL: 'info', REDIS_URL: `redis://127.0.0.1:${port}` });
    await api.waitForOutput(/cannot reach Redis/);
    await api.stop('SIGTERM');
    expect(api.stdout).toContain(
      `cannot reach Redis at 127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}): is Redis running there, and is REDIS_URL right? Requests that need it answer 503 until it is back`,
    );
  });
});
