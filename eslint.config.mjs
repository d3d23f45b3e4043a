import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What a pure core (and a format parser) may not import: a framework, the database or the network. */
const FRAMEWORK_DATABASE_NETWORK = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'ioredis',
  'bullmq',
  'node:http',
  'node:https',
  'node:net',
  'http',
  'https',
  'net',
];

/**
 * Files matching `files` (less `ignores`) may not import what `patterns` name, nor apps. A later
 * fence replaces an earlier one for the files both match (ESLint keeps the last setting of a rule),
 * so each fence carries the libs-never-import-apps pattern itself.
 */
function importFence(files, patterns, ignores = []) {
  const noApps = { group: ['**/apps/**'], message: 'libs never import apps' };
  return { files, ignores, rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, noApps] }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'test-output/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'always' }],
    },
  },
  // Libraries never import apps.
  importFence(['libs/**/*.ts'], []),
  // Pure cores know nothing of Nest, the database or the network (DESIGN.md → Processes and parts).
  importFence(
    ['libs/domain/**/*.ts', 'libs/rules/**/*.ts', 'libs/fit/**/*.ts', 'libs/pain-tags/**/*.ts'],
    [
      { group: FRAMEWORK_DATABASE_NETWORK, message: 'pure libraries import no framework, database or network' },
      { group: ['@deload/*', '!@deload/domain'], message: 'pure libraries depend only on @deload/domain' },
    ],
    ['**/*.spec.ts'],
  ),
  // Export and file formats (libs/ingest/src/formats) are pure parsing too: the importer wires them to storage.
  importFence(
    ['libs/ingest/src/formats/**/*.ts'],
    [
      { group: FRAMEWORK_DATABASE_NETWORK, message: 'format parsers import no framework, database or network' },
      { group: ['@deload/*', '!@deload/domain', '!@deload/fit'], message: 'format parsers depend only on @deload/domain and @deload/fit' },
      { group: ['../*'], message: 'format parsers import nothing else of libs/ingest' },
    ],
    ['**/*.spec.ts'],
  ),
  {
    // Every query lives in a repository (libs/persistence/src/repositories): nowhere else writes SQL,
    // a query builder or a TypeORM repository call, so a column rename is a search in one folder.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: ['libs/persistence/**', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/*/test/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(query|createQueryBuilder|getRepository)$/]',
          message: 'SQL and query builders live in a repository in libs/persistence/src/repositories',
        },
        {
          selector: "Decorator[expression.callee.name='InjectRepository']",
          message: 'inject a repository from libs/persistence/src/repositories, not a TypeORM Repository',
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(find|findOne|findOneOrFail|findBy|findOneBy|findOneByOrFail|findAndCount|save|insert|update|delete|upsert|count|countBy|exists|existsBy|increment|decrement|remove|softDelete)$/][arguments.0.name=/Entity$/]',
          message: 'entity reads and writes live in a repository in libs/persistence/src/repositories',
        },
      ],
    },
  },
  {
    files: ['**/*.js', 'scripts/**', 'bin/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
