import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The suite a mutation run uses: the projects of vitest.config.ts (with its
 * environment and DynamoDB Local global setup), without the infrastructure
 * synth tests, which do not exercise functions/.
 */
export default defineConfig({
  test: {
    ...base.test,
    // Instrumented for per-test coverage and sharing two cores, the slowest suites need far longer than in CI.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: (base.test?.projects ?? []).filter(
      (project) => !(typeof project === 'object' && 'test' in project && project.test?.name === 'infra'),
    ),
  },
});
