/** Jest: every test talks to real PostgreSQL/Redis; see test/support for per-run databases. */
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');

/** ESM-only dependencies jest must transform (see `transform`). */
const ESM_PACKAGES = ['htmlparser2', 'entities', 'domhandler', 'domutils', 'domelementtype', 'dom-serializer'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/tools', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Transpile only (isolatedModules in tsconfig.spec.json); types are checked by `npm run build`.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json', diagnostics: false }],
    // ESM-only packages (htmlparser2 and its dom/entities helpers) are compiled to CommonJS for jest;
    // Node ≥ 20.19 loads them natively with require(esm) in the built apps.
    [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: pathsToModuleNameMapper(),
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 120000,
};
