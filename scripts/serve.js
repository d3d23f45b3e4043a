#!/usr/bin/env node
// `npm run serve` (and so `npm start`, `npm run demo`): the api and the worker side by side.
// concurrently pipes their output, so they cannot see the terminal themselves: the log format
// is chosen here, from this process's stdout (LOG_FORMAT wins when set; README → Configuration).
const { concurrently } = require('concurrently');

const env = { LOG_FORMAT: process.env.LOG_FORMAT || (process.stdout.isTTY ? 'pretty' : 'json') };
const { result } = concurrently(
  [
    { name: 'api', command: 'node dist/apps/api/src/main.js', prefixColor: 'blue', env },
    { name: 'worker', command: 'node dist/apps/worker/src/main.js', prefixColor: 'magenta', env },
  ],
  { killOthersOn: ['failure', 'success'] },
);
result.then(
  () => process.exit(0),
  () => process.exit(1),
);
