import { ConflictException, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { type Agreement, expiryAtOf, expiryScheduleNameOf } from '../../domain/agreements/agreement';
import type { AgreementExpiryDue, AgreementExpiryScheduler } from '../../domain/agreements/ports';
import { type Config, required } from '../../shared/config';
import { createOneTimeSchedule, type ScheduleTarget } from './one-time-schedule';

/** From the configuration the stack sets on the function that activates agreements. */
export function agreementExpiryTarget(config: Config): ScheduleTarget {
  return {
    group: required(config, 'SCHEDULE_GROUP'),
    targetArn: required(config, 'AGREEMENT_EXPIRY_TARGET_ARN'),
    roleArn: required(config, 'SCHEDULER_ROLE_ARN'),
    ...(config.AGREEMENT_EXPIRY_DLQ_ARN ? { deadLetterArn: config.AGREEMENT_EXPIRY_DLQ_ARN } : {}),
  };
}

/**
 * One schedule per activated agreement, at the start of the day after its
 * last day; the function it invokes reads the agreement and expires it only
 * if it is still active and has ended.
 */
export class EventBridgeAgreementExpiryScheduler implements AgreementExpiryScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: () => ScheduleTarget,
  ) {}

  async schedule(agreement: Pick<Agreement, 'tenantId' | 'id' | 'endDate'>): Promise<void> {
    const input: AgreementExpiryDue = { tenantId: agreement.tenantId, agreementId: agreement.id };
    try {
      await createOneTimeSchedule(this.client, this.target(), {
        name: expiryScheduleNameOf(agreement),
        at: expiryAtOf(agreement),
        description: `Expiry of agreement ${agreement.id} (tenant ${agreement.tenantId})`,
        input,
        clientToken: `expiry-${agreement.id}`,
      });
    } catch (error) {
      // An activation tried again after its client token lapsed: the schedule of that name is this
      // agreement's, for the same end (an agreement's dates do not change).
      if (!(error instanceof ConflictException)) throw error;
    }
  }
}
