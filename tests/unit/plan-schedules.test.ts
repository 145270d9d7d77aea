import { describe, expect, it } from 'vitest';
import { PlanSchedules } from '../../functions/domain/service-plans/plan-schedules';
import type { PlanScheduler } from '../../functions/domain/service-plans/ports';
import { createPlanSchedulesHandler } from '../../functions/handlers/streams/plan-schedules';
import { quiet } from '../helpers/consumption';

/** A scheduler that records what it was asked, and fails for the plans named. */
function recordingScheduler(failFor: string[] = []) {
  const calls: string[] = [];
  const scheduler: PlanScheduler = {
    schedule: async (plan, at) => {
      if (failFor.includes(plan.id)) throw new Error(`cannot schedule ${plan.id}`);
      calls.push(`schedule ${plan.id} ${at}`);
    },
    remove: async (plan) => {
      calls.push(`remove ${plan.id}`);
    },
  };
  return { scheduler, calls };
}

const progress = (planId: string, runAt?: string) => ({
  pk: { S: `TENANT#acme#SERVICE_PLAN#${planId}` },
  sk: { S: 'PROGRESS' },
  entityType: { S: 'ServicePlanProgress' },
  tenantId: { S: 'acme' },
  planId: { S: planId },
  generated: { N: '3' },
  template: { M: {} },
  ...(runAt ? { runAt: { S: runAt } } : {}),
});

let sequence = 100;
const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', image: Record<string, unknown>) => ({
  eventID: `e${sequence}`,
  eventName,
  dynamodb: {
    SequenceNumber: String(sequence++),
    ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
  },
});

describe('the plans schedule keeper', () => {
  it("follows each plan's last change in the batch, removes on no next run or deletion, and ignores other items", async () => {
    const { scheduler, calls } = recordingScheduler();
    const handler = createPlanSchedulesHandler(new PlanSchedules(scheduler), quiet);
    const result = await handler({
      Records: [
        record('INSERT', progress('p1', '2027-01-01T00:00:00.000Z')),
        record('MODIFY', { entityType: { S: 'WorkOrder' }, tenantId: { S: 'acme' }, planId: { S: 'p1' } }),
        record('MODIFY', progress('p1', '2027-02-01T00:00:00.000Z')),
        record('MODIFY', progress('p2')),
        record('REMOVE', progress('p3', '2027-05-01T00:00:00.000Z')),
      ],
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual(['schedule p1 2027-02-01T00:00:00.000Z', 'remove p2', 'remove p3']);
  });

  it('stops at the first change that fails and reports it and every change after it, in order', async () => {
    const { scheduler, calls } = recordingScheduler(['p2']);
    const handler = createPlanSchedulesHandler(new PlanSchedules(scheduler), quiet);
    const batch = [
      record('MODIFY', progress('p1', '2027-01-01T00:00:00.000Z')),
      record('MODIFY', progress('p2', '2027-01-02T00:00:00.000Z')),
      record('MODIFY', progress('p3', '2027-01-03T00:00:00.000Z')),
    ];
    const result = await handler({ Records: batch });
    expect(calls).toEqual(['schedule p1 2027-01-01T00:00:00.000Z']);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      batch.slice(1).map((r) => r.dynamodb.SequenceNumber),
    );
  });

  it('is built in AWS from the scheduler settings alone: the keeper reads no table', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.TABLE_NAME;
      Object.assign(process.env, {
        PLAN_SCHEDULE_GROUP: 'plans',
        PLAN_GENERATOR_TARGET_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:generator',
        PLAN_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/plans',
      });
      const { handler } = await import('../../functions/handlers/streams/plan-schedules');
      const other = record('MODIFY', { entityType: { S: 'WorkOrder' } });
      expect(await handler({ Records: [other] }, {} as never)).toEqual({ batchItemFailures: [] });
    } finally {
      process.env = saved;
    }
  });

  it('refuses what is not a stream batch', async () => {
    const handler = createPlanSchedulesHandler(new PlanSchedules(recordingScheduler().scheduler), quiet);
    await expect(handler({ records: [] })).rejects.toThrow(/DynamoDB stream batch/);
  });
});
