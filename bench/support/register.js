// Lets `node -r ./bench/support/register.js bench/<area>/<script>.ts` run TypeScript benchmarks:
// compiles .ts files with swc on require (the same options as scripts/build.js) and resolves the
// `@deload/*` aliases to libs/*/src. Benchmarks then measure the same code the tests run.
const Module = require('node:module');
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
