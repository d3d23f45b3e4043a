#!/usr/bin/env node
/* global performance */
// Decoding in the pool's worker thread (ActivityDecoder, what uploads and imports use) against
// the same decode in process (decodeFile), on the same 1 MB FIT file, alternating, after a warm-up.
// Shows what keeping decoding off the event loop costs per file. Target: the thread at most
// 1.3 × decoding in process (the hand-over stays small next to decoding); exits 1 over it.
// Usage (after `npm run build`):
//   node -r ./bench/support/register.js bench/fit/decode-in-thread.js [rounds]
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { fixtureDir, median, report } = require('./common');
const { runBench } = require('../support/targets');

const { ActivityDecoder, decodeFile } = require(join(__dirname, '..', '..', 'dist', 'libs', 'ingest', 'src'));
const rounds = Number(process.argv[2] ?? 20);
const bytes = readFileSync(join(fixtureDir(), 'fit', 'activity-large-fenxi2-multisport.fit'));
const MAX_BYTES = 64 * 1024 * 1024;

async function main() {
  const decoder = new ActivityDecoder({ threads: 1 });
  await decoder.activityFile(bytes, MAX_BYTES); // starts the thread
  const inProcess = [];
  const inThread = [];
  for (let i = 0; i < rounds; i += 1) {
    let started = performance.now();
    decodeFile({ kind: 'activity-file', bytes, maxBytes: MAX_BYTES });
    inProcess.push(performance.now() - started);
    started = performance.now();
    await decoder.activityFile(bytes, MAX_BYTES);
    inThread.push(performance.now() - started);
  }
  await decoder.onApplicationShutdown();
  const ms = (value) => Math.round(value * 10) / 10;
  report({
    file: 'activity-large-fenxi2-multisport.fit',
    bytes: bytes.length,
    rounds,
    median_ms: { in_process: ms(median(inProcess)), in_thread: ms(median(inThread)) },
    thread_over_process: Math.round((median(inThread) / median(inProcess)) * 1000) / 1000,
  });
  return [{ measure: 'decode in the thread ÷ in process (medians)', value: median(inThread) / median(inProcess), unit: '×', atMost: 1.3 }];
}

runBench('fit/decode-in-thread', main);
