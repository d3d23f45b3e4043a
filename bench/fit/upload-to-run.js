#!/usr/bin/env node
/* global FormData, Blob, fetch */
// Upload → stored run: POST /api/runs/files with a ~1 MB FIT file to the real api (compiled),
// against a throwaway PostgreSQL database and Redis prefix; the answer comes after the run is
// committed. Each iteration is a fresh runner, so every upload inserts. The database and Redis
// prefix are this run's own (support/environment.ts) and removed at the end. Target: p95 < 1 s
// (issue 16: uploads finish in under a second end to end); exits 1 over it. Usage (after `npm run build`):
//   node -r ./bench/support/register.js bench/fit/upload-to-run.js [iterations]
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { fixtureDir, median, percentile, report } = require('./common');
const { benchEnv } = require('../support/environment');
const { runBench } = require('../support/targets');

const dist = join(__dirname, '..', '..', 'dist');
const { createApiApp } = require(join(dist, 'apps/api/src/bootstrap'));
const { SessionsService, CSRF_HEADER, SESSION_COOKIE } = require(join(dist, 'libs/auth/src'));
const { UsersService } = require(join(dist, 'libs/users/src'));

const iterations = Number(process.argv[2] ?? 30);
const file = join(fixtureDir(), 'fit', 'activity-large-fenxi2-multisport.fit');

async function main() {
  const bench = await benchEnv();
  const suffix = bench.env.REDIS_KEY_PREFIX;
  const app = await createApiApp(bench.env);
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
    await bench.cleanup();
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
  return [{ measure: '1 MB FIT upload → stored run, p95', value: percentile(timings, 95), unit: 'ms', atMost: 1000 }];
}

runBench('fit/upload-to-run', main);
