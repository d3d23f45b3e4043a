#!/usr/bin/env node
/* global URL, FormData, Blob, fetch */
// Upload → stored run: POST /api/runs/files with a ~1 MB FIT file to the real api (compiled),
// against a throwaway PostgreSQL database and Redis prefix; the answer comes after the run is
// committed. Each iteration is a fresh runner, so every upload inserts. Usage (after `npm run build`):
//   node bench/fit/upload-to-run.js [iterations]
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');
const { fixtureDir, median, percentile, report } = require('./common');

const dist = join(__dirname, '..', '..', 'dist');
const { createApiApp } = require(join(dist, 'apps/api/src/bootstrap'));
const { ensureDatabase, dropDatabase } = require(join(dist, 'libs/persistence/src'));
const { SessionsService, UsersService, CSRF_HEADER, SESSION_COOKIE } = require(join(dist, 'libs/auth/src'));

const iterations = Number(process.argv[2] ?? 30);
const file = join(fixtureDir(), 'fit', 'activity-large-fenxi2-multisport.fit');
const suffix = randomBytes(4).toString('hex');
const server = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseUrl = Object.assign(new URL(server), { pathname: `/deload_bench_${suffix}` }).toString();

async function main() {
  await ensureDatabase(databaseUrl);
  const app = await createApiApp({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_KEY_PREFIX: `deload-bench-${suffix}`,
    LOG_LEVEL: 'silent',
    SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789abcdef',
  });
  await app.listen(0, '127.0.0.1');
  const url = `${await app.getUrl()}/api/runs/files`;
  const bytes = readFileSync(file);
  const timings = [];
  try {
    for (let i = 0; i < iterations + 3; i += 1) {
      const user = await app.get(UsersService).findOrCreate(`bench-${suffix}-${i}@example.test`);
      const { token } = await app.get(SessionsService).create(user.id, 'bench');
      const { csrfToken } = await app.get(SessionsService).resolve(token);
      const body = new FormData();
      body.append('files', new Blob([bytes]), 'activity.fit');
      const started = process.hrtime.bigint();
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers: { cookie: `${SESSION_COOKIE}=${token}`, [CSRF_HEADER]: csrfToken },
      });
      const answer = await response.json();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (response.status !== 200 || answer.files[0].status !== 'imported') throw new Error(`upload failed: ${JSON.stringify(answer)}`);
      if (i >= 3) timings.push(ms); // the first uploads warm the JIT and the connection pool
    }
  } finally {
    await app.close();
    await dropDatabase(databaseUrl);
  }
  report({
    file: 'activity-large-fenxi2-multisport.fit',
    bytes: readFileSync(file).length,
    iterations,
    upload_to_stored_run_ms: {
      median: +median(timings).toFixed(1),
      p95: +percentile(timings, 95).toFixed(1),
      max: +Math.max(...timings).toFixed(1),
    },
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  });
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
