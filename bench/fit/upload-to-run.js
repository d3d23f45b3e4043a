#!/usr/bin/env node
/* global FormData, Blob, fetch, setTimeout */
// Upload → stored run through the worker: POST /api/runs/files with a ~1 MB FIT file to the real
// api (compiled, in this process), which stores it and answers 202 (then the same for a 130 KB FIT); the worker (compiled, a process
// of its own as deployed, without cron) decodes and stores the run; the client polls
// GET /api/imports/:id as the upload page does (every 100 ms for 2 s, then less often) until it
// says done. Measured: the 202, and upload → done. Each iteration is a fresh runner, so every
// upload inserts. The database and Redis prefix are this run's own (support/environment.ts) and
// removed at the end. Target: p95 < 1 s (issue 16: uploads finish in under a second end to end);
// exits 1 over it. Usage (after `npm run build`):
//   node -r ./bench/support/register.js bench/fit/upload-to-run.js [iterations]
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { fixtureDir, median, percentile, report } = require('./common');
const { benchEnv } = require('../support/environment');
const { runBench } = require('../support/targets');

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
const { createApiApp } = require(join(dist, 'apps/api/src/bootstrap'));
const { SessionsService, CSRF_HEADER, SESSION_COOKIE } = require(join(dist, 'libs/auth/src'));
const { UsersService } = require(join(dist, 'libs/users/src'));

const iterations = Number(process.argv[2] ?? 30);
/** The 1 MB file of issue 16's figure, and a small one (a typical watch's run) that must also be done in under a second. */
const FILES = ['activity-large-fenxi2-multisport.fit', 'running-with-developer-data.fit'];

/** The compiled worker in a process of its own, without cron; resolves once it takes jobs. */
function startWorker(env) {
  const worker = spawn(process.execPath, [join(root, 'test', 'support', 'no-cron-worker.js')], {
    env: { ...process.env, DELOAD_TEST_WORKER_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    worker.on('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
    worker.stdout.on('data', (chunk) => String(chunk).includes('worker ready') && resolve(worker));
  });
}

function stopWorker(worker) {
  return new Promise((resolve) => {
    worker.removeAllListeners('exit');
    worker.on('exit', resolve);
    worker.kill('SIGTERM');
  });
}

/** The upload page's polling: every 100 ms for 2 s, then each wait 1.5× the last, at most 2 s. */
async function pollUntilImported(url, headers) {
  const started = Date.now();
  let wait = 100;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    if (Date.now() - started > 2000) wait = Math.min(2000, Math.round(wait * 1.5));
    const answer = await (await fetch(url, { headers })).json();
    if (answer.status === 'done' || answer.status === 'failed') return answer;
  }
}

async function main() {
  const bench = await benchEnv();
  const suffix = bench.env.REDIS_KEY_PREFIX;
  const app = await createApiApp(bench.env);
  const worker = await startWorker(bench.env);
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const results = [];
  try {
    for (const name of FILES) results.push(await measure(app, base, suffix, name));
  } finally {
    await app.close();
    await stopWorker(worker);
    await bench.cleanup();
  }
  report({ iterations, files: results, max_rss_mb_api_and_client: Math.round(process.resourceUsage().maxRSS / 1024) });
  return results.map((result) => ({
    measure: `${result.file} (${Math.round(result.bytes / 1024)} KB) upload → stored run through the worker (polled as the page does), p95`,
    value: result.upload_to_stored_run_ms.p95,
    unit: 'ms',
    atMost: 1000,
  }));
}

/** `iterations` timed uploads of one file (after 3 that warm the JIT, the pools and the decoder's thread), each by a fresh runner. */
async function measure(app, base, suffix, name) {
  const bytes = readFileSync(join(fixtureDir(), 'fit', name));
  const timings = [];
  const accepted = [];
  for (let i = 0; i < iterations + 3; i += 1) {
    const user = await app.get(UsersService).findOrCreate(`bench-${suffix}-${name}-${i}@example.test`);
    const { token } = await app.get(SessionsService).create(user.id, 'bench');
    const { csrfToken } = await app.get(SessionsService).resolve(token);
    const headers = { cookie: `${SESSION_COOKIE}=${token}`, [CSRF_HEADER]: csrfToken };
    const body = new FormData();
    body.append('files', new Blob([bytes]), name);
    const started = process.hrtime.bigint();
    const response = await fetch(`${base}/api/runs/files`, { method: 'POST', body, headers });
    const taken = await response.json();
    const acceptedMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.status !== 202) throw new Error(`upload refused: ${JSON.stringify(taken)}`);
    const answer = await pollUntilImported(`${base}${taken.url}`, headers);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (answer.status !== 'done' || answer.files[0].status !== 'imported') throw new Error(`import failed: ${JSON.stringify(answer)}`);
    if (i >= 3) {
      timings.push(ms);
      accepted.push(acceptedMs);
    }
  }
  return {
    file: name,
    bytes: bytes.length,
    upload_to_202_ms: { median: +median(accepted).toFixed(1), p95: +percentile(accepted, 95).toFixed(1) },
    upload_to_stored_run_ms: {
      median: +median(timings).toFixed(1),
      p95: +percentile(timings, 95).toFixed(1),
      max: +Math.max(...timings).toFixed(1),
    },
  };
}

runBench('fit/upload-to-run', main);
