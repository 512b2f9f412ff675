/** Jest: every test talks to real PostgreSQL/Redis; see test/support for per-run databases. */
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Transpile only (isolatedModules in tsconfig.spec.json); types are checked by `npm run build`.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json', diagnostics: false }],
  },
  moduleNameMapper: pathsToModuleNameMapper(),
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 120000,
};
