import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { FUNCTION_ENV } from '../config/function-environment';
import type { AsyncFunction } from './async-function';
import type { ServiceFunction } from './service-function';

/** Event types of one source, as the handlers declare what they consume. */
export interface EventSelection {
  readonly source: string;
  readonly types: readonly string[];
}

export interface DomainEventBusProps {
  /** Only events whose source starts with this are archived. */
  readonly sourcePrefix: string;
  /** @default 90 days */
  readonly archiveRetention?: Duration;
}

/**
 * The bus the domain events travel on, with an archive of every event so a
 * consumer that was down or buggy can replay what it missed.
 */
export class DomainEventBus extends Construct {
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: DomainEventBusProps) {
    super(scope, id);
    // "Default" keeps the bus and its archive at the logical IDs they were deployed with.
    this.bus = new events.EventBus(this, 'Default', {
      description: 'Domain events of the field service (WorkOrderCreated, ...), published from the outbox',
    });
    this.bus.archive('EventArchive', {
      description: 'Every domain event, for replay',
      eventPattern: { source: events.Match.prefix(props.sourcePrefix) },
      retention: props.archiveRetention ?? Duration.days(90),
    });
  }

  get eventBusName(): string {
    return this.bus.eventBusName;
  }

  /** Tells the function which bus to publish to, and lets it put events on this bus only. */
  allowPublishing(fn: ServiceFunction | AsyncFunction): void {
    fn.function.addEnvironment(FUNCTION_ENV.EVENT_BUS_NAME, this.bus.eventBusName);
    this.bus.grantPutEventsTo(fn);
  }

  /**
   * A rule invoking the function for the selected event types. EventBridge
   * retries delivery for six hours; an event it cannot hand to Lambda at all,
   * and one the function still fails after Lambda's retries, both end in the
   * function's dead-letter queue, so there is one place to look and re-drive.
   */
  subscribe(id: string, description: string, selection: EventSelection, target: AsyncFunction): events.Rule {
    if (target.invokedBy !== 'events') {
      throw new Error(`${target.node.path} reads a stream; only functions invoked by events can subscribe`);
    }
    return new events.Rule(this, id, {
      eventBus: this.bus,
      description,
      eventPattern: { source: [selection.source], detailType: [...selection.types] },
      targets: [
        new targets.LambdaFunction(target.function, {
          deadLetterQueue: target.deadLetterQueue,
          maxEventAge: Duration.hours(6),
          retryAttempts: 20,
        }),
      ],
    });
  }
}
