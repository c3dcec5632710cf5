/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 120000,
  // Looks for the system tools once per run: strict mode fails at once, lenient mode names what is missing at the end.
  globalSetup: '<rootDir>/test/rig/tools/global-setup.ts',
  globalTeardown: '<rootDir>/test/rig/tools/global-teardown.ts',
};
