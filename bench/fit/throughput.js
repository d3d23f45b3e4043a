#!/usr/bin/env node
// FIT decode + map (libs/fit, compiled) against bare fit-file-parser on the same files, in one
// run, rounds interleaved so both see the same machine state. Like for like: mapFitFile reads
// every segment of a chained file, so the bare parser is given every segment too.
// Target (DESIGN.md → Performance): within 10 % of the bare decoder; exits 1 over it.
// Usage (after `npm run build`):
//   node -r ./bench/support/register.js bench/fit/throughput.js [rounds] [fixtures folder]
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const FitParser = require('fit-file-parser').default;
const { mapFitFile } = require('../../dist/libs/fit/src');
const { splitFitChain } = require('../../dist/libs/fit/src/container');
const { runBench } = require('../support/targets');
const { fixtureDir, median, report } = require('./common');

const rounds = Number(process.argv[2] ?? 15);
const folder = process.argv[3] ?? join(fixtureDir(), 'fit');

function bareDecodeSegment(bytes) {
  let failure;
  new FitParser({ force: false, mode: 'list' }).parse(bytes, (error) => (failure = error));
  if (failure) throw new Error(failure);
}

/** Every segment of a (possibly chained) file through the bare parser, as mapFitFile reads them. */
function bareDecode(bytes) {
  for (const { offset, end } of splitFitChain(bytes)) bareDecodeSegment(bytes.subarray(offset, end));
}

// The files both can read: every fixture the strict bare decoder accepts.
const files = readdirSync(folder)
  .filter((name) => name.endsWith('.fit'))
  .map((name) => ({ name, bytes: readFileSync(join(folder, name)) }))
  .filter(({ bytes }) => {
    try {
      bareDecode(bytes);
      mapFitFile(bytes);
      return true;
    } catch {
      return false;
    }
  });
const totalBytes = files.reduce((sum, file) => sum + file.bytes.length, 0);

function timeOnce(decode) {
  const started = process.hrtime.bigint();
  for (const { bytes } of files) decode(bytes);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

for (let i = 0; i < 2; i += 1) [bareDecode, mapFitFile].forEach(timeOnce); // warm-up
const bare = [];
const ours = [];
for (let i = 0; i < rounds; i += 1) {
  // Alternate which goes first, so neither always pays for the other's garbage.
  if (i % 2 === 0) {
    bare.push(timeOnce(bareDecode));
    ours.push(timeOnce(mapFitFile));
  } else {
    ours.push(timeOnce(mapFitFile));
    bare.push(timeOnce(bareDecode));
  }
}
const bareS = median(bare);
const oursS = median(ours);
const overheadPercent = +((oursS / bareS - 1) * 100).toFixed(1);
report({
  files: files.length,
  megabytes: +(totalBytes / 1e6).toFixed(2),
  rounds,
  bare_fit_file_parser: {
    mb_per_s: +(totalBytes / 1e6 / bareS).toFixed(1),
    files_per_s: +(files.length / bareS).toFixed(1),
    median_s: +bareS.toFixed(4),
  },
  decode_and_map: {
    mb_per_s: +(totalBytes / 1e6 / oursS).toFixed(1),
    files_per_s: +(files.length / oursS).toFixed(1),
    median_s: +oursS.toFixed(4),
  },
  segments: files.reduce((sum, file) => sum + splitFitChain(file.bytes).length, 0),
  overhead_percent: overheadPercent,
  max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
});
runBench('fit/throughput', () => [
  { measure: 'decode + map over the bare parser, all segments', value: overheadPercent, unit: '%', atMost: 10 },
]);
