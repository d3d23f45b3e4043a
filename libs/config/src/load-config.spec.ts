import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUBLIC_DEVELOPMENT_SECRET_KEY } from './env.schema';
import { ConfigError, loadConfig } from './load-config';

const KEY = { SECRET_KEY: 'k'.repeat(40) };

/** Runs `work` with the working directory in a fresh temporary folder (relative defaults such as ./var land there). */
function inTemporaryDirectory<T>(work: (dir: string) => T): T {
  const previous = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'deload-cwd-'));
  process.chdir(dir);
  try {
    return work(dir);
  } finally {
    process.chdir(previous);
  }
}

function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment, generating a key into ./var/secret.key', () => {
    const { config, dir } = inTemporaryDirectory((dir) => ({ config: loadConfig({}), dir }));
    expect(config.SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, 'var', 'secret.key'), 'utf8').trim()).toBe(config.SECRET_KEY);
    expect(statSync(join(dir, 'var', 'secret.key')).mode & 0o777).toBe(0o600);
    expect(inTemporaryDirectory(() => loadConfig({})).SECRET_KEY).not.toBe(config.SECRET_KEY);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/deload',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      PUBLIC_URL: 'http://localhost:3000',
      OUTBOX_DIR: './var/outbox',
      STRAVA_API_URL: 'https://www.strava.com/api/v3',
      STRAVA_OAUTH_URL: 'https://www.strava.com/oauth',
      STRAVA_COACH_SHARING: false,
      MAX_UPLOAD_MB: 50,
      usingDevelopmentSecretKey: false,
    });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.LISTEN_HOST).toBeUndefined();
    expect(config.TRUST_PROXY).toBeUndefined();
  });

  it('recognises the public development key, and refuses it in production', () => {
    expect(loadConfig({ SECRET_KEY: PUBLIC_DEVELOPMENT_SECRET_KEY }).usingDevelopmentSecretKey).toBe(true);
    expect(problemsFor({ NODE_ENV: 'production', SECRET_KEY: PUBLIC_DEVELOPMENT_SECRET_KEY })).toEqual([
      expect.stringMatching(/^SECRET_KEY is the public development key/),
    ]);
  });

  it('reads TRUST_PROXY as a number of proxies or their addresses, never "everyone"', () => {
    expect(loadConfig({ ...KEY, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ ...KEY, TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,loopback,::1' }).TRUST_PROXY).toEqual([
      '10.0.0.5',
      '172.16.0.0/12',
      'loopback',
      '::1',
    ]);
    for (const bad of ['true', '0', '*', '10.0.0.0/33', 'proxy.example', '1.2.3.4/8/9']) {
      expect(problemsFor({ ...KEY, TRUST_PROXY: bad })).toEqual([expect.stringMatching(/^TRUST_PROXY must name the proxies/)]);
    }
  });

  it('takes LISTEN_HOST as an address or a host name', () => {
    expect(loadConfig({ ...KEY, LISTEN_HOST: '127.0.0.1' }).LISTEN_HOST).toBe('127.0.0.1');
    expect(loadConfig({ ...KEY, LISTEN_HOST: '::' }).LISTEN_HOST).toBe('::');
    expect(problemsFor({ ...KEY, LISTEN_HOST: 'http://x' })).toEqual([
      expect.stringMatching(/^LISTEN_HOST must be an IP address or a host name/),
    ]);
  });

  it('parses numbers and booleans from strings', () => {
    const config = loadConfig({ ...KEY, PORT: '8080', MAX_UPLOAD_MB: '12.5', STRAVA_COACH_SHARING: 'true' });
    expect(config.PORT).toBe(8080);
    expect(config.MAX_UPLOAD_MB).toBe(12.5);
    expect(config.STRAVA_COACH_SHARING).toBe(true);
  });

  it('treats an empty value as unset', () => {
    const config = loadConfig({ ...KEY, PORT: '', SMTP_URL: '' });
    expect(config.PORT).toBe(3000);
    expect(config.SMTP_URL).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc', /^PORT must be a whole number \(got "abc"\)$/],
    ['PORT', '70000', /^PORT must be between 1 and 65535 \(got "70000"\)$/],
    ['DATABASE_URL', 'mysql://localhost/x', /^DATABASE_URL must be a URL starting with postgres:\/\/ or postgresql:\/\//],
    [
      'DATABASE_URL',
      'postgres://postgres@127.0.0.1:5432',
      /^DATABASE_URL must name a database after the port, e\.g\. postgres:\/\/postgres@127\.0\.0\.1:5432\/deload/,
    ],
    ['DATABASE_URL', 'postgres://postgres@db/', /^DATABASE_URL must name a database/],
    ['LOG_FORMAT', 'text', /^LOG_FORMAT must be pretty or json \(unset: pretty at a terminal, json otherwise\) \(got "text"\)$/],
    ['REDIS_URL', 'localhost:6379', /^REDIS_URL must be a URL starting with redis:\/\/ or rediss:\/\//],
    ['SMTP_URL', 'http://mail', /^SMTP_URL must be a URL starting with smtp:\/\//],
    ['STRAVA_COACH_SHARING', 'maybe', /^STRAVA_COACH_SHARING must be true or false/],
    ['MAX_UPLOAD_MB', '-1', /^MAX_UPLOAD_MB must be a positive number of megabytes/],
    ['NODE_ENV', 'staging', /^NODE_ENV must be development, test or production/],
    ['STRAVA_CLIENT_ID', 'abc', /^STRAVA_CLIENT_ID must be the numeric client id/],
  ])('names %s when it is malformed (%s)', (name, value, expected) => {
    const problems = problemsFor({ ...KEY, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('requires SECRET_KEY in production', () => {
    expect(problemsFor({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^SECRET_KEY is required when NODE_ENV=production/)]);
    expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32) }).usingDevelopmentSecretKey).toBe(false);
  });

  it('never echoes a password in a URL back', () => {
    const [problem] = problemsFor({ ...KEY, DATABASE_URL: 'postgres://deload:hunter2@db:5432' });
    expect(problem).toMatch(/^DATABASE_URL must name a database/);
    expect(problem).not.toContain('hunter2');
  });

  it('never echoes a secret value back', () => {
    const [problem] = problemsFor({ SECRET_KEY: 'short-secret' });
    expect(problem).toMatch(/^SECRET_KEY must be at least 32 characters/);
    expect(problem).not.toContain('short-secret');
  });

  it('reports every problem, one line per variable', () => {
    const problems = problemsFor({ ...KEY, PORT: 'x', REDIS_URL: 'nope', MAX_UPLOAD_MB: '0' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['MAX_UPLOAD_MB', 'PORT', 'REDIS_URL']);
    expect(problems.every((p) => !p.includes('\n'))).toBe(true);
  });

  describe('SECRET_KEY_FILE', () => {
    const dir = () => mkdtempSync(join(tmpdir(), 'deload-key-'));

    it('creates a key on first start and reads the same one afterwards', () => {
      const path = join(dir(), 'nested', 'secret.key');
      const first = loadConfig({ NODE_ENV: 'production', SECRET_KEY_FILE: path });
      expect(first.SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
      expect(first.usingDevelopmentSecretKey).toBe(false);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(loadConfig({ NODE_ENV: 'production', SECRET_KEY_FILE: path }).SECRET_KEY).toBe(first.SECRET_KEY);
      expect(readFileSync(path, 'utf8').trim()).toBe(first.SECRET_KEY);
    });

    it('lets SECRET_KEY win over the file', () => {
      const path = join(dir(), 'secret.key');
      writeFileSync(path, 'f'.repeat(64));
      expect(loadConfig({ SECRET_KEY: 'k'.repeat(40), SECRET_KEY_FILE: path }).SECRET_KEY).toBe('k'.repeat(40));
    });

    it('names the variable when the file cannot be made or holds a short key', () => {
      const blocker = join(dir(), 'not-a-directory');
      writeFileSync(blocker, 'x');
      expect(problemsFor({ NODE_ENV: 'production', SECRET_KEY_FILE: join(blocker, 'secret.key') })).toEqual([
        expect.stringMatching(/^SECRET_KEY_FILE cannot be read or created \(.*(ENOTDIR|EEXIST)/),
      ]);
      const short = join(dir(), 'short.key');
      writeFileSync(short, 'too-short');
      expect(problemsFor({ SECRET_KEY_FILE: short })).toEqual([expect.stringMatching(/^SECRET_KEY must be at least 32 characters/)]);
    });
  });
});
