// @ts-check
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The tests run in a sandbox copy of the repository, where ../shared is not next to it.
process.env.MAIL_CORPUS_DIR ??= path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../shared/mail-corpus',
);

/**
 * Mutation testing of the domain and the adapters, on demand: `npm run mutate` (several thousand
 * mutants, the adapters alone about 2,700: hours on two cores). Not part of `npm test` or
 * CI. Incremental: results are kept in reports/ and only changed code and tests are run again;
 * a run writes its results when it ends, so a part that finishes beats a whole that is stopped.
 * A part with results of its own:
 * `npm run mutate -- --mutate 'functions/adapters/mail/**' --incrementalFile reports/mutation/adapters-mail.json`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: ['functions/domain/**/*.ts', 'functions/adapters/**/*.ts'],
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant such as a schema or the status table) would rerun the whole
  // suite; those constants have their own tests (e.g. tests/unit/work-order-status-machine.test.ts).
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  // Two cores: one runner and one checker at a time keep the machine usable.
  concurrency: 2,
  // The first run of the whole suite records which tests reach which mutant; on a busy machine it is slow.
  dryRunTimeoutMinutes: 40,
  timeoutMS: 60_000,
  timeoutFactor: 2,
  thresholds: { high: 85, low: 70, break: null },
  cleanTempDir: 'always',
};
