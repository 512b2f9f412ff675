/** Jest for the fault suite (`npm run test:faults`): test/faults/*.fault.ts, one case after another. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault.ts'],
  testTimeout: 300_000,
};
