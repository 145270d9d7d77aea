import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { PLAN_PROGRESS_ENTITY_TYPE } from '../../adapters/dynamodb/table-definition';
import { EventBridgePlanScheduler, planScheduleTarget } from '../../adapters/scheduler/service-plans';
import { PlanSchedules, type ProgressChange } from '../../domain/service-plans/plan-schedules';
import { systemClock } from '../../shared/clock';
import { readConfig } from '../../shared/config';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';
import { streamBatch } from './stream-batch';

const SERVICE = 'plan-schedules';

/** A stream image in DynamoDB's attribute-value form, as far as it is read here. */
type StreamImage = Partial<Record<'entityType' | 'tenantId' | 'planId' | 'runAt', { S?: string }>>;

/**
 * The table stream (plan progress items) → each plan's one schedule is put
 * where its progress says it runs next, or removed when it says nothing (the
 * plan ended, has nothing left, or was deleted). A stream keeps the order of
 * one item's changes, so the last change wins; a failed change is reported
 * with everything after it, and Lambda retries from there.
 */
export function createPlanSchedulesHandler(
  schedules: Pick<PlanSchedules, 'follow'>,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler<typeof streamBatch, DynamoDBBatchResponse>(
    {
      accepts: 'a DynamoDB stream batch',
      schema: streamBatch,
      correlationId: (batch) => batch.Records[0]?.eventID,
      handle: async (batch, { logger, metrics }) => {
        const changes: { sequenceNumber: string; change: ProgressChange }[] = [];
        for (const record of batch.Records) {
          const image = (record.dynamodb?.NewImage ?? record.dynamodb?.OldImage) as StreamImage | undefined;
          // Only the attributes the schedule needs are read: the rest of the item is not this function's.
          if (image?.entityType?.S !== PLAN_PROGRESS_ENTITY_TYPE) continue;
          const tenantId = image.tenantId?.S;
          const planId = image.planId?.S;
          if (!tenantId || !planId) {
            logger.error('plan progress without its keys', { eventID: record.eventID });
            continue;
          }
          const runAt = record.eventName === 'REMOVE' ? undefined : image.runAt?.S;
          changes.push({
            sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
            change: { tenantId, planId, ...(runAt ? { runAt } : {}) },
          });
        }
        const result = await schedules.follow(changes.map((c) => c.change));
        metrics.count('PlanSchedulesMoved', result.applied);
        if (result.failedAt === undefined) return { batchItemFailures: [] };
        logger.error('moving a plan schedule failed', {
          error: result.error,
          ...changes[result.failedAt]?.change,
        });
        return {
          batchItemFailures: changes
            .slice(result.failedAt)
            .map((c) => ({ itemIdentifier: c.sequenceNumber })),
        };
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

// The keeper reads no table: its stream records carry what it needs, so it is built from the scheduler alone.
export const handler = builtOnFirstCall(() => {
  const config = readConfig();
  return createPlanSchedulesHandler(
    new PlanSchedules(
      new EventBridgePlanScheduler(new SchedulerClient({}), () => planScheduleTarget(config), systemClock),
    ),
  );
});
