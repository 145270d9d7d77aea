import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Call {
  command: string;
  index?: string;
  /** The key condition's partition value, for Queries. */
  partition?: string;
  /** Items DynamoDB read (ScannedCount for a Query, 1 for a found GetItem, each item a BatchGet found, each condition check). */
  itemsRead: number;
  /** Items the call put, updated or deleted (each of a transaction or a batch). */
  itemsWritten: number;
}

export interface Reading {
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
  commands: string[];
  calls: Call[];
}

/**
 * Counts what a client sends to DynamoDB: round trips and consumed capacity
 * (every request asks for ReturnConsumedCapacity TOTAL).
 */
export function meter(client: DynamoDBDocumentClient) {
  const empty = (): Reading => ({ roundTrips: 0, readUnits: 0, writeUnits: 0, commands: [], calls: [] });
  let reading = empty();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      reading.roundTrips += 1;
      const command = String(context.commandName).replace(/Command$/, '');
      reading.commands.push(command);
      const output = result.output as {
        ConsumedCapacity?: Capacity | Capacity[];
        ScannedCount?: number;
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
      reading.calls.push({
        command,
        index: input.IndexName as string | undefined,
        partition: typeof values?.[':pk'] === 'string' ? (values[':pk'] as string) : undefined,
        ...itemsOf(command, input, output),
      });
      addCapacity(reading, output.ConsumedCapacity, String(context.commandName));
      return result;
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  return {
    reset: () => {
      reading = empty();
    },
    read: (): Reading => reading,
  };
}

/** How many items one call read and wrote, from its request and response. */
function itemsOf(
  command: string,
  input: Record<string, unknown>,
  output: { ScannedCount?: number; Item?: unknown; Responses?: Record<string, unknown[]> },
): { itemsRead: number; itemsWritten: number } {
  if (command === 'TransactWrite' || command === 'TransactWriteItems') {
    const items = (input.TransactItems as Record<string, unknown>[] | undefined) ?? [];
    const checks = items.filter((item) => 'ConditionCheck' in item).length;
    return { itemsRead: checks, itemsWritten: items.length - checks };
  }
  if (command === 'BatchWrite' || command === 'BatchWriteItem') {
    const requests = Object.values((input.RequestItems as Record<string, unknown[]> | undefined) ?? {});
    return { itemsRead: 0, itemsWritten: requests.reduce((n, list) => n + list.length, 0) };
  }
  if (/^(Put|Update|Delete)/.test(command)) return { itemsRead: 0, itemsWritten: 1 };
  if (/^BatchGet/.test(command)) {
    const found = Object.values(output.Responses ?? {}).reduce((n, list) => n + list.length, 0);
    return { itemsRead: found, itemsWritten: 0 };
  }
  return { itemsRead: output.ScannedCount ?? (output.Item ? 1 : 0), itemsWritten: 0 };
}

export interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/**
 * Adds what one response consumed to a tally. Queries and gets report only
 * CapacityUnits in some responses: those count as reads, the rest as writes.
 */
export function addCapacity(
  tally: { readUnits: number; writeUnits: number },
  consumed: Capacity | Capacity[] | undefined,
  command: string,
): void {
  const capacities = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  for (const capacity of capacities) {
    tally.readUnits += capacity.ReadCapacityUnits ?? 0;
    tally.writeUnits += capacity.WriteCapacityUnits ?? 0;
    if (capacity.ReadCapacityUnits === undefined && capacity.WriteCapacityUnits === undefined) {
      const units = capacity.CapacityUnits ?? 0;
      if (/Get|Query|Scan/.test(command)) tally.readUnits += units;
      else tally.writeUnits += units;
    }
  }
}
