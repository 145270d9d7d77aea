import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';

/** Business counters, as code outside the handlers' edge sees them: no Lambda, no Powertools. */
export interface Metrics {
  count(name: BusinessMetric, value?: number): void;
  /** A count split by one dimension, e.g. mails processed by `decision`. */
  countBy(name: BusinessMetric, dimension: string, value: string): void;
}

/** Every business metric the functions emit, so a dashboard or alarm can find them by name. */
export type BusinessMetric =
  | 'WorkOrdersCreated'
  | 'MailsProcessed'
  | 'MailsUnrouted'
  | 'MailsSent'
  | 'RemindersFired'
  | 'EventsPublished'
  | 'EventsFailed'
  | 'SceneReindexSteps'
  | 'AgreementsGenerated'
  | 'AgreementsExpired'
  | 'AgreementProductsAdded'
  | 'ConfirmationsStarted'
  | 'ConfirmationsConfirmed'
  | 'ConfirmationsReleased'
  | 'PlanOccurrencesGenerated'
  | 'PlanGenerationsFailed'
  | 'ServicePlansEnded'
  | 'PlanSchedulesMoved';

/** Every service's namespace starts with this, e.g. `FieldService/work-order-mailer`. */
export const METRICS_NAMESPACE_PREFIX = 'FieldService';

/**
 * A function's metrics: Powertools Metrics in the CloudWatch embedded metric
 * format, one namespace per service, with a `service` dimension. Counted
 * during an invocation, written as one log line at its end (`publish`).
 * POWERTOOLS_METRICS_DISABLED=true (the tests) writes nothing.
 */
export class FunctionMetrics implements Metrics {
  readonly powertools: PowertoolsMetrics;

  constructor(service: string) {
    this.powertools = new PowertoolsMetrics({
      namespace: `${METRICS_NAMESPACE_PREFIX}/${service}`,
      serviceName: service,
    });
  }

  count(name: BusinessMetric, value = 1): void {
    this.powertools.addMetric(name, MetricUnit.Count, value);
  }

  countBy(name: BusinessMetric, dimension: string, value: string): void {
    const single = this.powertools.singleMetric();
    single.addDimension(dimension, value);
    single.addMetric(name, MetricUnit.Count, 1);
  }

  /** Once per container: a ColdStart count. */
  captureColdStart(): void {
    this.powertools.captureColdStartMetric();
  }

  /** Writes what this invocation counted; nothing when it counted nothing (Powertools would warn). */
  publish(): void {
    if (this.powertools.hasStoredMetrics()) this.powertools.publishStoredMetrics();
  }
}

export function createMetrics(service: string): FunctionMetrics {
  return new FunctionMetrics(service);
}
