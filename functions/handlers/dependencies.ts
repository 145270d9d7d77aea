import { createDocumentClient, type TableContext, tableNameFromEnv } from '../adapters/dynamodb/client';
import { DynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import { AccountRepository } from '../adapters/dynamodb/repositories/customers';
import {
  type Account,
  accountRules,
  type CreateAccountInput,
  type UpdateAccountInput,
} from '../domain/customers/account';
import { MasterDataService, type ServiceContext } from '../domain/shared/master-data-service';
import { type Clock, type IdGenerator, systemClock, ulidGenerator } from '../shared/clock';

/**
 * The composition root: wires adapters into use cases. Handlers build it once
 * per container; tests build it with their own table, clock and ids.
 */
export interface Dependencies extends ServiceContext {
  table: TableContext;
}

let defaults: Dependencies | undefined;

export function defaultDependencies(): Dependencies {
  defaults ??= createDependencies({ client: createDocumentClient(), tableName: tableNameFromEnv() });
  return defaults;
}

export function createDependencies(
  table: TableContext,
  clock: Clock = systemClock,
  ids: IdGenerator = ulidGenerator(clock),
): Dependencies {
  return { table, clock, ids };
}

export const idempotencyStore = (deps: Dependencies) => new DynamoIdempotencyStore(deps.table);

export const accountService = (deps: Dependencies) =>
  new MasterDataService<Account, CreateAccountInput, UpdateAccountInput>(
    new AccountRepository(deps.table, deps.clock),
    accountRules,
    deps,
  );
