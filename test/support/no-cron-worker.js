// The compiled worker as a process of its own but without cron, for tests that kill it (SIGKILL)
// in the middle of a job: cron would act on the whole shared test database. Its environment is
// the JSON in DELOAD_TEST_WORKER_ENV (testEnv()); it prints "worker ready" once it takes jobs.
require('reflect-metadata');
const { createWorkerApp } = require('../../dist/apps/worker/src/bootstrap');

createWorkerApp(JSON.parse(process.env.DELOAD_TEST_WORKER_ENV), { schedule: false }).then(
  () => process.stdout.write('worker ready\n'),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
