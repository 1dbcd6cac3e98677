/** Tests run TypeScript through ts-jest; suites share nothing but the Redis server (each uses its own key prefix). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  testTimeout: 20000,
  maxWorkers: 2,
};
