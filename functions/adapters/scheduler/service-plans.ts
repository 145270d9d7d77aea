import {
  ActionAfterCompletion,
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  FlexibleTimeWindowMode,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { PlanDue, PlanScheduler } from '../../domain/service-plans/ports';
import { planScheduleNameOf, type ServicePlan } from '../../domain/service-plans/service-plan';
import type { Clock } from '../../shared/clock';
import { type Config, required } from '../../shared/config';
import { type ScheduleTarget, scheduleTimeOf } from './one-time-schedule';

/** From the configuration the stack sets on the function that keeps the plans' schedules. */
export function planScheduleTarget(config: Config): ScheduleTarget {
  return {
    group: required(config, 'PLAN_SCHEDULE_GROUP'),
    targetArn: required(config, 'PLAN_GENERATOR_TARGET_ARN'),
    roleArn: required(config, 'PLAN_SCHEDULER_ROLE_ARN'),
    ...(config.PLAN_GENERATOR_DLQ_ARN ? { deadLetterArn: config.PLAN_GENERATOR_DLQ_ARN } : {}),
  };
}

/**
 * One schedule per plan, in the plans' own group, moved to each next time a
 * work order is due to be created. It is kept after it fires (no delete
 * after completion), so moving it is an update; a plan whose schedule is
 * missing (never made, or deleted by hand) gets it created.
 */
export class EventBridgePlanScheduler implements PlanScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: () => ScheduleTarget,
    private readonly clock: Clock,
  ) {}

  async schedule(plan: Pick<ServicePlan, 'tenantId' | 'id'>, at: string): Promise<void> {
    const input = this.request(plan, at);
    try {
      await this.client.send(new UpdateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      try {
        await this.client.send(new CreateScheduleCommand(input));
      } catch (raced) {
        // Created by a save or run at the same moment: this time wins.
        if (!(raced instanceof ConflictException)) throw raced;
        await this.client.send(new UpdateScheduleCommand(input));
      }
    }
  }

  async remove(plan: Pick<ServicePlan, 'tenantId' | 'id'>): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: planScheduleNameOf(plan), GroupName: this.target().group }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }

  private request(plan: Pick<ServicePlan, 'tenantId' | 'id'>, at: string) {
    const target = this.target();
    const input: PlanDue = { tenantId: plan.tenantId, planId: plan.id };
    // A time in the past would be refused: due now means the next minute.
    const soonest = new Date(this.clock.now().getTime() + 60_000).toISOString();
    return {
      Name: planScheduleNameOf(plan),
      GroupName: target.group,
      Description: `Work orders of service plan ${plan.id} (tenant ${plan.tenantId})`,
      ScheduleExpression: `at(${scheduleTimeOf(at > soonest ? at : soonest)})`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
      ActionAfterCompletion: ActionAfterCompletion.NONE,
      Target: {
        Arn: target.targetArn,
        RoleArn: target.roleArn,
        Input: JSON.stringify(input),
        RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 10 },
        ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
      },
    };
  }
}
