#!/usr/bin/env node
// The `deload` command (package.json "bin"). Runs the compiled CLI from dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(compiled)) {
  process.stderr.write('deload: not built yet — run `npm run build` (or `npm install`, which builds) first\n');
  process.exit(2);
}
require(compiled);
