// Lets `node -r ./bench/support/register.js bench/<area>/<script>.ts` run TypeScript benchmarks:
// compiles .ts files with swc on require (the same options as scripts/build.js) and resolves the
// `@deload/*` aliases to libs/*/src. Benchmarks then measure the same code the tests run.
const Module = require('node:module');

// Benchmarks take PostgreSQL and Redis from DATABASE_URL and REDIS_URL: the harness they share with
// the tests (test/support) reads them as TEST_POSTGRES_URL / TEST_REDIS_URL. Each bench makes a
// database and Redis prefix of its own there and removes them at its end (support/environment.ts).
if (process.env.DATABASE_URL) process.env.TEST_POSTGRES_URL = process.env.DATABASE_URL;
if (process.env.REDIS_URL) process.env.TEST_REDIS_URL = process.env.REDIS_URL;

const { join } = require('node:path');
const { transformSync } = require('@swc/core');
const { root, libraryAliases } = require('../../scripts/aliases');

const aliases = new Map(libraryAliases().map(({ alias, dir }) => [alias, join(root, dir)]));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases.get(request) ?? request, ...rest);
};

const swcOptions = {
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  jsc: {
    target: 'es2022',
    keepClassNames: true,
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
  },
};

require.extensions['.ts'] = (module, filename) => {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  module._compile(transformSync(source, { ...swcOptions, filename }).code, filename);
};
