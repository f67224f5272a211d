import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const env = {
  AWS_REGION: 'eu-west-3',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  DDB_LOCAL_TELEMETRY: '0',
  TZ: 'UTC',
  // The layer of PDF assets, as /opt/pdf-assets on Lambda (the local runtime sets the same).
  PDF_ASSETS_DIR: fileURLToPath(new URL('./layers/pdf-assets', import.meta.url)),
};

export default defineConfig({
  test: {
    env,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], env } },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], env, testTimeout: 120_000, hookTimeout: 120_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          env,
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          env,
          globalSetup: ['test/support/dynamodb-global-setup.ts', 'test/support/documented-statuses-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Reduced size by default; `npm run reliability` sets RELIABILITY_SIZE=full. Logs are emitted
        // (and captured to .local/reliability/logs/, not printed) so that R7 can scan them.
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          env: { ...env, POWERTOOLS_LOG_LEVEL: 'DEBUG' },
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
