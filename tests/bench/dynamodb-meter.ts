import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Reading {
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
  commands: string[];
}

/**
 * Counts what a client sends to DynamoDB: round trips and consumed capacity
 * (every request asks for ReturnConsumedCapacity TOTAL).
 */
export function meter(client: DynamoDBDocumentClient) {
  let reading: Reading = { roundTrips: 0, readUnits: 0, writeUnits: 0, commands: [] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      reading.roundTrips += 1;
      reading.commands.push(String(context.commandName).replace(/Command$/, ''));
      const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
      const capacities = Array.isArray(output.ConsumedCapacity)
        ? output.ConsumedCapacity
        : output.ConsumedCapacity
          ? [output.ConsumedCapacity]
          : [];
      for (const capacity of capacities) {
        reading.readUnits += capacity.ReadCapacityUnits ?? 0;
        reading.writeUnits += capacity.WriteCapacityUnits ?? 0;
        // Queries and gets report only CapacityUnits in some responses.
        if (capacity.ReadCapacityUnits === undefined && capacity.WriteCapacityUnits === undefined) {
          const units = capacity.CapacityUnits ?? 0;
          if (/Get|Query|Scan/.test(String(context.commandName))) reading.readUnits += units;
          else reading.writeUnits += units;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  return {
    reset: () => {
      reading = { roundTrips: 0, readUnits: 0, writeUnits: 0, commands: [] };
    },
    read: (): Reading => reading,
  };
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}
