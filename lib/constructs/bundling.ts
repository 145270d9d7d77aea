import type { BuildOptions } from 'esbuild';

/**
 * How every Lambda handler is bundled. Plain data, no CDK: `ServiceFunction`
 * translates it into NodejsFunction bundling options, and a benchmark script
 * can hand it to esbuild directly to measure exactly what ships.
 */

/** The Node major of the Lambda runtime; keep in step with `ServiceFunction`'s runtime. */
export const LAMBDA_NODE_TARGET = 'node22';

/**
 * ESM bundles have no `require`; some CommonJS dependencies still call it for
 * Node built-ins, so give them one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const HANDLER_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: LAMBDA_NODE_TARGET,
  minify: true,
  sourcemap: true,
  // Stack traces only need the mappings; embedding the sources would double the asset for nothing.
  sourcesContent: false,
  // Prefer ESM builds of dependencies, so tree-shaking can drop what a handler never calls.
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  // The SDK the runtime ships is a different version from the one tested here; bundle ours.
  external: [] as string[],
  outExtension: { '.js': '.mjs' },
  // Errors only: a synth or a test run stays quiet about every bundle that builds.
  logLevel: 'error' as const,
} satisfies BuildOptions;
