import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type PolicyViolation, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp, type RegionStacks } from '../../lib/app';
import { type AppConfig, readAppConfig } from '../../lib/config/app-config';
import { REPO_ROOT } from '../../lib/constructs/service-function';

export const TEST_ACCOUNT = '123456789012';
export const TEST_REGIONS = ['eu-west-1', 'us-east-1'] as const;

/** cdk.json's context: feature flags change templates, so tests synthesize with the same ones. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: object };
  return { ...cdkJson.context };
}

export function testConfig(context = cdkJsonContext()): AppConfig {
  const withRegions: Record<string, unknown> = { ...context, regions: TEST_REGIONS.join(',') };
  return readAppConfig((key) => withRegions[key], TEST_ACCOUNT);
}

export interface SynthesizedApp {
  app: App;
  regions: RegionStacks[];
  /** Set when synthesis threw (cdk-nag findings make it throw); the templates are then unavailable. */
  synthError: unknown;
  template(stack: Stack): Template;
  stacks(): Stack[];
  dispose(): void;
}

/** The app as cdk.json configures it, synthesized once per worker: the infra test files share their modules. */
let shared: SynthesizedApp | undefined;
process.once('exit', () => shared?.dispose());

/**
 * Builds and synthesizes the real app (bundling included) into a temporary
 * directory. Slow (esbuild per handler): the app as configured is built once
 * and shared by the test files of a worker (they only read it); one with
 * `contextOverrides` (keys of cdk.json's context replaced, e.g.
 * `regionSettings`) is built for its caller alone.
 */
export function synthesizeApp(contextOverrides: Record<string, unknown> = {}): SynthesizedApp {
  if (Object.keys(contextOverrides).length > 0) return synthesizeFresh(contextOverrides);
  shared ??= synthesizeFresh({});
  // Disposed when the worker exits, after the last file that shares it.
  return { ...shared, dispose: () => undefined };
}

function synthesizeFresh(contextOverrides: Record<string, unknown>): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'field-service-infra-'));
  const context = { ...cdkJsonContext(), ...contextOverrides };
  const app = new App({ outdir, context });
  let regions: RegionStacks[] = [];
  let synthError: unknown;
  withoutBundlingProgress(() => {
    regions = buildApp(app, testConfig(context));
    try {
      app.synth();
    } catch (error) {
      synthError = error;
    }
  });
  const templates = new Map<Stack, Template>();
  return {
    app,
    regions,
    synthError,
    template(stack) {
      let template = templates.get(stack);
      if (!template) {
        template = Template.fromStack(stack);
        templates.set(stack, template);
      }
      return template;
    },
    stacks: () => regions.flatMap((pair) => [pair.stateful, pair.stateless]),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/**
 * The CDK writes "Bundling asset <path>..." to stderr for every function it
 * bundles, whatever the bundler's log level; a passing run needs none of it.
 * Everything else on stderr (esbuild's errors) still gets through.
 */
function withoutBundlingProgress(run: () => void): void {
  const write = process.stderr.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && /^Bundling asset \S+\.\.\.\s*$/.test(chunk)) return true;
    return (write as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    run();
  } finally {
    process.stderr.write = write;
  }
}

export interface NagFinding {
  rule: string;
  severity: string;
  path: string;
}

/**
 * The AWS Solutions findings that are not acknowledged, as cdk-nag reports them
 * to the CDK during synth (cdk-nag 3 reports through the policy-validation
 * framework, not through annotations). Run after synth, so cross-stack
 * references are resolved exactly as the checks saw them.
 */
export function awsSolutionsFindings(app: App): NagFinding[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((violation: PolicyViolation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      severity: violation.severity ?? 'unknown',
      path: resource.constructPath ?? resource.resourceLogicalId ?? '(unknown)',
    })),
  );
}
