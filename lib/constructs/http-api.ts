import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ApiFunction } from '../../functions/handlers/api/api-functions';
import type { RouteContract } from '../../functions/handlers/api/http/route';
import { ServiceFunction } from './service-function';

export interface ServiceApiProps {
  /** Every API function and the routes it serves (functions/handlers/api/api-functions.ts). */
  readonly functions: Readonly<Record<string, ApiFunction>>;
  readonly userPool: cognito.IUserPool;
  /** The app client whose ID tokens the API accepts. */
  readonly apiClient: cognito.IUserPoolClient;
  readonly table: dynamodb.ITableV2;
  readonly tableIndexNames: readonly string[];
}

/**
 * The HTTP API: Cognito ID tokens checked by a JWT authorizer on every route
 * that is not public by contract, a default stage with JSON access logs, and
 * one Lambda per catalog entry with one route per contract, so a new entry or
 * route needs no change here.
 */
export class ServiceApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly functions: ReadonlyMap<string, ServiceFunction>;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${props.userPool.userPoolId}`;
    // "Default" keeps the API, its routes and its authorizer at the logical IDs they were deployed with.
    this.api = new apigwv2.HttpApi(this, 'Default', {
      // The name the API was deployed with, which CDK took from the construct id.
      apiName: id,
      description: 'Field service API',
      defaultAuthorizer: new HttpJwtAuthorizer('CognitoJwt', issuer, {
        jwtAudience: [props.apiClient.userPoolClientId],
        identitySource: ['$request.header.Authorization'],
      }),
      // The default stage is created below, with access logging.
      createDefaultStage: false,
    });
    this.stage = this.createStage();
    this.functions = this.createFunctions(props);

    new cloudwatch.Alarm(this, 'ServerErrors', {
      alarmDescription: 'The HTTP API answered with 5xx',
      metric: this.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  get url(): string {
    return this.stage.url;
  }

  /** The function of a catalog entry; throws for a name the catalog does not have. */
  function(name: string): ServiceFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`The API catalog has no ${name} function`);
    return fn;
  }

  private createStage(): apigwv2.HttpStage {
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    return new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
  }

  private createFunctions(props: ServiceApiProps): Map<string, ServiceFunction> {
    const functions = new Map<string, ServiceFunction>();
    const owners = new Map<string, string>();

    for (const [name, definition] of Object.entries(props.functions)) {
      const fn = new ServiceFunction(this, `Api-${name}`, {
        entry: definition.entry,
        description: `API: ${name}`,
        memorySize: definition.memoryMb,
        ...(definition.timeoutSeconds ? { timeout: Duration.seconds(definition.timeoutSeconds) } : {}),
      }).bindTable(props.table, 'readWrite', { indexes: props.tableIndexNames });
      functions.set(name, fn);

      const integration = new HttpLambdaIntegration(`Api-${name}-Integration`, fn.function, {
        // One invoke permission per function instead of one per route: the Lambda resource policy is
        // capped at 20 KB, and a function serves dozens of routes.
        scopePermissionToRoute: false,
      });
      for (const route of definition.routes) {
        const key = `${route.method} ${route.path}`;
        const owner = owners.get(key);
        if (owner !== undefined) {
          throw new Error(`Route ${key} is served by both API functions "${owner}" and "${name}"`);
        }
        owners.set(key, name);
        this.addRoute(route, integration);
      }
    }
    return functions;
  }

  private addRoute(route: RouteContract, integration: HttpLambdaIntegration): void {
    const isPublic = route.auth === 'none';
    const [created] = this.api.addRoutes({
      path: route.path,
      methods: [apigwv2.HttpMethod[route.method]],
      integration,
      ...(isPublic ? { authorizer: new apigwv2.HttpNoneAuthorizer() } : {}),
    });
    if (isPublic && created) {
      Validations.of(created.node.defaultChild ?? created).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is public by contract (auth: 'none'): it serves no tenant data.`,
      });
    }
  }
}
