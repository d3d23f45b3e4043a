// The one list of `@deload/*` path aliases, read by the build and by jest.
// tsconfig.json carries the same list for the type-checker (a unit test keeps them equal).
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function libraryAliases() {
  return readdirSync(join(root, 'libs'))
    .filter((name) => existsSync(join(root, 'libs', name, 'src', 'index.ts')))
    .map((name) => ({ alias: `@deload/${name}`, dir: `libs/${name}/src` }));
}

module.exports = { root, libraryAliases };
