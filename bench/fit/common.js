const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

/** The shared fixtures (DELOAD_SHARED_DIR, ../shared next to the checkout, or /work/shared). */
function fixtureDir() {
  const candidates = [process.env.DELOAD_SHARED_DIR, resolve(__dirname, '..', '..', '..', 'shared'), '/work/shared'];
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'fixtures')));
  if (!found) throw new Error('shared fixtures not found; set DELOAD_SHARED_DIR');
  return join(found, 'fixtures');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function report(result) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

module.exports = { fixtureDir, median, percentile, report };
