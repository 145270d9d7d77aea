import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../functions/adapters/eventbridge/publisher';
import type { DomainEvent } from '../../functions/domain/shared/events';

const eventBridge = mockClient(EventBridgeClient);

const event = (n: number): DomainEvent => ({
  id: `e${n}`,
  type: 'AccountCreated',
  source: 'fieldservice.customers',
  tenantId: 'acme',
  occurredAt: '2026-11-23T09:00:00.000Z',
  detail: { id: `a${n}` },
});

beforeEach(() => eventBridge.reset());

describe('EventBridgePublisher', () => {
  it('sends at most ten entries per call, each naming the bus, source and type', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      Entries: input.Entries.map((_, i) => ({ EventId: `id-${i}` })),
      FailedEntryCount: 0,
    }));
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'eu-west-1' }), () => 'bus-1');

    // Act
    const result = await publisher.publish(Array.from({ length: 23 }, (_, i) => event(i)));

    // Assess
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.args[0].input.Entries?.[0]).toMatchObject({
      EventBusName: 'bus-1',
      Source: 'fieldservice.customers',
      DetailType: 'AccountCreated',
    });
    expect(JSON.parse(calls[2]?.args[0].input.Entries?.[2]?.Detail ?? '{}')).toMatchObject({
      id: 'e22',
      tenantId: 'acme',
    });
    expect(result.failedIds).toEqual([]);
  });

  it('reports exactly the entries the bus refused', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [
        { EventId: 'ok' },
        { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
        { EventId: 'ok' },
      ],
    });
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'eu-west-1' }), () => 'bus-1');

    const result = await publisher.publish([event(1), event(2), event(3)]);

    expect(result.failedIds).toEqual(['e2']);
  });

  it('lets a failed call surface as an error', async () => {
    eventBridge.on(PutEventsCommand).rejects(new Error('endpoint unreachable'));
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'eu-west-1' }), () => 'bus-1');
    await expect(publisher.publish([event(1)])).rejects.toThrow('endpoint unreachable');
  });
});
