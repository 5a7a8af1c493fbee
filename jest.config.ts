import type { Config } from 'jest';

const tsJest: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  // The AI SDK and its dependencies ship ES modules only, which Jest's CommonJS runtime cannot load
  // on Node 20: they are compiled to CommonJS (only these packages, see transformIgnorePatterns).
  '^.+\\.js$': [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
  ],
};
const ESM_ONLY_PACKAGES = ['ai', '@ai-sdk', '@standard-schema', '@workflow', 'eventsource-parser', 'zod'];
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`];

// Both projects see the example service importing the package by its name, as a consumer would.
const moduleNameMapper: Config['moduleNameMapper'] = {
  '^cassandra-chat-history$': '<rootDir>/src',
  '^cassandra-chat-history/(.*)$': '<rootDir>/src/$1',
};

const config: Config = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      // The contract suite's in-memory half and the example service's unit tests run here; their
      // real-node halves in `integration` (split by file suffix).
      roots: ['<rootDir>/test/unit', '<rootDir>/test/contract', '<rootDir>/examples'],
      testMatch: ['**/test/unit/**/*.test.ts', '**/*.contract-mock.test.ts', '**/examples/**/*.unit.test.ts'],
      moduleNameMapper,
      transform: tsJest,
      transformIgnorePatterns,
      setupFiles: ['reflect-metadata'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/integration', '<rootDir>/test/contract', '<rootDir>/examples'],
      testMatch: [
        '**/test/integration/**/*.test.ts',
        '**/*.contract-node.test.ts',
        '**/examples/**/*.integration.test.ts',
      ],
      moduleNameMapper,
      transform: tsJest,
      transformIgnorePatterns,
      setupFiles: ['reflect-metadata'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
      slowTestThreshold: 30,
    },
    {
      // The local 3-node cluster (scripts/cassandra/cluster.sh): RF=3, nodes killed and restarted.
      // Its files serialise among themselves with a lock (test/cluster/support/cluster.ts).
      displayName: 'cluster',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/cluster'],
      testMatch: ['**/*.test.ts'],
      transform: tsJest,
      setupFiles: ['reflect-metadata'],
      globalSetup: '<rootDir>/test/cluster/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/cluster/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/cluster/support/cluster-timeout.ts'],
      slowTestThreshold: 120,
    },
  ],
  // One Cassandra node on 2 cores: keep integration files from starving each other.
  maxWorkers: 2,
};

export default config;
