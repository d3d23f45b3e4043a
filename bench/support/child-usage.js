// Preloaded into a child process a bench times (`node -r bench/support/child-usage.js …`): at exit it
// writes the process's own resource usage (CPU microseconds, peak RSS in KB) as JSON to the file
// named by DELOAD_BENCH_USAGE_FILE, so the bench counts the child's CPU and memory, start-up included.
const { writeFileSync } = require('node:fs');

const file = process.env.DELOAD_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userCPUTime: usage.userCPUTime, systemCPUTime: usage.systemCPUTime, maxRSS: usage.maxRSS }));
  });
}
