// The fault-injection suite (`npm run test:faults`): kills the service, drops database
// connections and restarts PostgreSQL, so its files run one at a time, with long timeouts, on the
// same test PostgreSQL provider as the main suite.
import type { Config } from 'jest';
import base from './jest.config';

const config: Config = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault.ts'],
  maxWorkers: 1,
  // Its counts are added to the main run's closing line (npm test runs this suite first).
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.js', { label: 'fault tests', save: true }]],
  testTimeout: 240_000,
};

export default config;
