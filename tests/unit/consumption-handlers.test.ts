import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgreementProducts } from '../../functions/domain/consumption/agreement-products';
import type { ConsumptionSteps } from '../../functions/domain/consumption/consumption-steps';
import { StepRefusal } from '../../functions/domain/consumption/errors';
import type { StepEvent } from '../../functions/domain/consumption/workflow';
import {
  ClaimTakenError,
  NotFoundError,
  TransactionConflictError,
} from '../../functions/domain/shared/errors';
import { createAgreementProductsHandler } from '../../functions/handlers/events/agreement-products';
import { createConsumptionStepsHandler } from '../../functions/handlers/workflows/consumption-steps';
import { createLogger } from '../../functions/shared/logger';

const quiet = createLogger({}, () => undefined);
const example = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../events/${path}`, import.meta.url), 'utf8')) as unknown;

/** A steps use case that records what it is asked and answers, or fails, as told. */
function steps(outcome: () => Promise<{ status: 'validated' }>) {
  const asked: StepEvent[] = [];
  const fake = {
    run: async (event: StepEvent) => {
      asked.push(event);
      return outcome();
    },
  } as unknown as ConsumptionSteps;
  return { asked, handler: createConsumptionStepsHandler(fake, quiet) };
}

describe('the consumption steps handler', () => {
  it.each([
    'sfn/consumption-validate.json',
    'sfn/consumption-await-approval.json',
    'sfn/consumption-release-failed.json',
  ])('hands the step the state machine sends (%s) to the use case as it is', async (path) => {
    const { asked, handler } = steps(async () => ({ status: 'validated' }));
    await handler(example(path), {} as never);
    expect(asked).toEqual([example(path)]);
  });

  it('refuses what is not a step, before anything runs', async () => {
    const { asked, handler } = steps(async () => ({ status: 'validated' }));
    await expect(handler({ step: 'pay', tenantId: 't', confirmationId: 'c' }, {} as never)).rejects.toThrow(
      'Not a consumption step',
    );
    await expect(
      handler({ step: 'await-approval', tenantId: 't', confirmationId: 'c' }, {} as never),
    ).rejects.toThrow('Not a consumption step');
    expect(asked).toEqual([]);
  });

  it('names refusals ConsumptionRefused, which the state machine never retries, and leaves other errors as they are', async () => {
    const refusal = steps(async () => {
      throw new StepRefusal('Work order WO-1 is obsolete');
    });
    await expect(
      refusal.handler(example('sfn/consumption-validate.json'), {} as never),
    ).rejects.toMatchObject({
      name: 'ConsumptionRefused',
      message: 'Work order WO-1 is obsolete',
    });
    const missing = steps(async () => {
      throw new NotFoundError('ServiceAgreement', 'g');
    });
    await expect(
      missing.handler(example('sfn/consumption-validate.json'), {} as never),
    ).rejects.toMatchObject({
      name: 'ConsumptionRefused',
    });
    const contended = steps(async () => {
      throw new TransactionConflictError();
    });
    await expect(
      contended.handler(example('sfn/consumption-validate.json'), {} as never),
    ).rejects.toMatchObject({
      name: 'TransactionConflictError',
    });
  });
});

describe('the agreement products handler', () => {
  it("adds the new work order's products once: a redelivery whose claim is taken is done, not failed", async () => {
    const asked: string[] = [];
    let calls = 0;
    const consumption = {
      add: async (tenantId: string, workOrderId: string) => {
        asked.push(`${tenantId}/${workOrderId}`);
        calls += 1;
        if (calls > 1) throw new ClaimTakenError('agreement-products', workOrderId);
        return { added: 2, agreementId: 'g' };
      },
    } as unknown as AgreementProducts;
    const handler = createAgreementProductsHandler(consumption, quiet);
    const event = example('eventbridge/work-order-created.json');
    expect(await handler(event, {} as never)).toMatchObject({ added: 2 });
    expect(await handler(event, {} as never)).toMatchObject({ added: 0, reason: 'added before' });
    expect(asked).toEqual(['demo/01KQ0000000000000000000W01', 'demo/01KQ0000000000000000000W01']);
    await expect(handler(example('eventbridge/sales-order-created.json'), {} as never)).rejects.toThrow(
      'Not a WorkOrderCreated event',
    );
  });
});
