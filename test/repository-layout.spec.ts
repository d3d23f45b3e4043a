import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { libraryAliases } = require('../scripts/aliases');

const root = join(__dirname, '..');

describe('repository layout', () => {
  it('tsconfig paths list exactly the libraries the build and jest resolve', () => {
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
    const fromBuild = Object.fromEntries(libraryAliases().map(({ alias, dir }: { alias: string; dir: string }) => [alias, [dir]]));
    expect(tsconfig.compilerOptions.paths).toEqual(fromBuild);
  });

  it('nest-cli.json declares the three apps and every library', () => {
    const nestCli = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8'));
    expect(nestCli.monorepo).toBe(true);
    const projects = nestCli.projects as Record<string, { type: string; root: string }>;
    expect(['api', 'worker', 'cli'].every((name) => projects[name]?.type === 'application')).toBe(true);
    const libraries = Object.entries(projects)
      .filter(([, project]) => project.type === 'library')
      .map(([name]) => `@deload/${name}`)
      .sort();
    expect(libraries).toEqual(
      libraryAliases()
        .map(({ alias }: { alias: string }) => alias)
        .sort(),
    );
  });
});

describe('docker-compose.yml', () => {
  // Compose resolves YAML merge keys (<<: *anchor); so must we.
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });

  it('defines postgres, redis, mailpit, api and worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'mailpit', 'postgres', 'redis', 'worker']);
  });

  it('starts api and worker only once their dependencies are healthy', () => {
    for (const app of ['api', 'worker']) {
      expect(compose.services[app].depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    for (const dependency of ['postgres', 'redis']) {
      expect(compose.services[dependency].healthcheck?.test).toBeDefined();
    }
  });

  it('points api and worker at the compose services, not localhost', () => {
    for (const app of ['api', 'worker']) {
      const env = compose.services[app].environment;
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.SMTP_URL).toBe('smtp://mailpit:1025');
    }
  });

  it('keeps one generated SECRET_KEY for api and worker on a shared volume', () => {
    for (const app of ['api', 'worker']) {
      expect(compose.services[app].environment.SECRET_KEY_FILE).toBe('/var/lib/deload/secret.key');
      expect(compose.services[app].volumes).toContain('deload-secrets:/var/lib/deload');
    }
    expect(Object.keys(compose.volumes)).toContain('deload-secrets');
  });

  it('publishes Mailpit (every email, sign-in links included) on this machine’s loopback only', () => {
    expect(compose.services.mailpit.ports).toEqual(['127.0.0.1:8025:8025']);
  });

  it('builds api and worker from the Dockerfile and runs the compiled entry points', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(compose.services.api.command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(compose.services.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
