import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { AppConfig } from './config/app-config';
import { stackNames } from './config/stack-names';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

export interface RegionStacks {
  readonly region: string;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

export { stackNames } from './config/stack-names';

/** The AWS Solutions checks every synth runs; acknowledged rules are written into the templates. */
export function awsSolutionsChecks(app: App): AwsSolutionsChecks {
  return new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true });
}

/**
 * The whole deployment: a stateful and a stateless stack per configured region,
 * checked by cdk-nag. bin/app.ts and the infra tests both build it through here.
 */
export function buildApp(app: App, config: AppConfig): RegionStacks[] {
  const pairs = config.deployments.map(({ region, settings }) => {
    const env = { account: config.account, region };
    const names = stackNames(region);
    const stateful = new StatefulStack(app, names.stateful, {
      env,
      settings,
      description: `Field service data: table, mail bucket, user pool (${region})`,
    });
    const stateless = new StatelessStack(app, names.stateless, {
      env,
      settings,
      stateful,
      description: `Field service code: HTTP API, Lambdas, event bus, outbox publisher (${region})`,
    });
    return { region, stateful, stateless };
  });

  Tags.of(app).add('application', 'field-service');
  Validations.of(app).addPlugins(awsSolutionsChecks(app));
  return pairs;
}
