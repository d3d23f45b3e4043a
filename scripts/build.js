#!/usr/bin/env node
// Compiles apps/ and libs/ to dist/ with swc (no type-check: `npm run typecheck` does that),
// rewriting `@deload/*` aliases to relative paths and copying non-TypeScript assets
// (templates, static files) next to the compiled code.
const { transformFileSync } = require('@swc/core');
const { readdirSync, mkdirSync, writeFileSync, copyFileSync, rmSync, statSync } = require('node:fs');
const { join, relative, dirname, extname } = require('node:path');
const { root, libraryAliases } = require('./aliases');

const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;
const outRoot = join(root, 'dist');

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

function swcOptions() {
  const paths = Object.fromEntries(libraryAliases().map(({ alias, dir }) => [alias, [dir]]));
  return {
    sourceMaps: true,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      baseUrl: root,
      paths,
      keepClassNames: true,
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
  };
}

function build() {
  rmSync(outRoot, { recursive: true, force: true });
  const options = swcOptions();
  let compiled = 0;
  for (const top of ['apps', 'libs']) {
    for (const file of walk(join(root, top))) {
      if (TEST_FILE.test(file) || file.includes(`${join('/', 'test', '/')}`)) continue;
      const target = join(outRoot, relative(root, file));
      mkdirSync(dirname(target), { recursive: true });
      if (extname(file) === '.ts' && !file.endsWith('.d.ts')) {
        const { code, map } = transformFileSync(file, { ...options, filename: file });
        const jsTarget = target.replace(/\.ts$/, '.js');
        writeFileSync(jsTarget, `${code}\n//# sourceMappingURL=${jsTarget.split('/').pop()}.map`);
        writeFileSync(`${jsTarget}.map`, map);
        compiled += 1;
      } else if (statSync(file).isFile()) {
        copyFileSync(file, target);
      }
    }
  }
  return compiled;
}

const started = Date.now();
const count = build();
console.log(`built ${count} files into dist/ in ${Date.now() - started} ms`);
