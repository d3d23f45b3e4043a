// testTimeout cannot be set per project, hence the setup files below.
// Three tiers (DESIGN.md → Tests): unit (pure, no servers), integration (real PostgreSQL and
// Redis), e2e (apps booted for real). `npm test` runs all three; `npm run test:faults` the fault-injection suite.
const { libraryAliases } = require('./scripts/aliases');

const moduleNameMapper = Object.fromEntries(libraryAliases().map(({ alias, dir }) => [`^${alias}$`, `<rootDir>/${dir}`]));

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    },
  ],
};

// Garmin's FIT SDK ships only ES modules; Node (>= 20.19) requires them natively, jest needs them compiled.
const ESM_ONLY_PACKAGES = ['@garmin/fitsdk'];
transform[`node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`] = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } },
];
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`];

const common = {
  rootDir: __dirname,
  moduleNameMapper,
  transform,
  transformIgnorePatterns,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};
const withServers = {
  ...common,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,bench}/**/*.spec.ts'] },
    { ...withServers, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/jest/integration-timeout.ts'] },
    { ...withServers, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/test/security/**/*.e2e-spec.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/jest/e2e-timeout.ts'] },
    // `npm run test:faults` (not part of `npm test`): its own PostgreSQL, Redis and SMTP server; needs dist/ only.
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'], globalSetup: '<rootDir>/test/faults/build.ts', setupFilesAfterEnv: ['<rootDir>/test/support/jest/faults-timeout.ts'] },
  ],
};
