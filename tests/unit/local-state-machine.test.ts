import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';

/**
 * The offline Step Functions interpreter the state-machine tests will use.
 * It needs Node 22 (Promise.withResolvers): this proves the test run has it
 * and that JSONPath Task and Choice states behave as in AWS.
 */
const definition: StateMachineDefinition = {
  Comment: 'Checks a consumption confirmation and bills it or asks for a review',
  StartAt: 'PriceConfirmation',
  States: {
    PriceConfirmation: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:price-confirmation',
      Parameters: { 'quantity.$': '$.quantity', 'unitPrice.$': '$.unitPrice' },
      ResultPath: '$.price',
      Next: 'NeedsReview',
    },
    NeedsReview: {
      Type: 'Choice',
      Choices: [{ Variable: '$.price.total', NumericGreaterThan: 1000, Next: 'Review' }],
      Default: 'Bill',
    },
    Review: { Type: 'Pass', Result: 'review', ResultPath: '$.outcome', End: true },
    Bill: { Type: 'Pass', Result: 'billed', ResultPath: '$.outcome', End: true },
  },
};

const priceConfirmation = (input: unknown) => {
  const { quantity, unitPrice } = input as { quantity: number; unitPrice: number };
  return { total: quantity * unitPrice };
};

async function run(input: { quantity: number; unitPrice: number }) {
  const machine = new StateMachine(definition);
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: { PriceConfirmation: priceConfirmation } },
  });
  return execution.result;
}

describe('aws-local-stepfunctions', () => {
  it('runs on the Node 22 the Lambda runtime has', () => {
    expect(process.versions.node.split('.')[0]).toBe('22');
  });

  it('runs a Task through its local handler and takes the Choice branch its result selects', async () => {
    // Prepare / Act
    const small = await run({ quantity: 3, unitPrice: 40 });
    const large = await run({ quantity: 30, unitPrice: 40 });

    // Assess
    expect(small).toEqual({ quantity: 3, unitPrice: 40, price: { total: 120 }, outcome: 'billed' });
    expect(large).toEqual({ quantity: 30, unitPrice: 40, price: { total: 1200 }, outcome: 'review' });
  });
});
