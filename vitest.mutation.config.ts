import { defineConfig } from 'vitest/config';

/**
 * The suite a mutation run uses: the unit and integration projects of
 * vitest.config.ts (with its DynamoDB Local global setup), without the
 * infrastructure synth tests, which do not exercise functions/.
 */
export default defineConfig({
  test: {
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      LOG_LEVEL: 'warn',
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/helpers/dynamodb-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
