import type { Account } from '../../../domain/customers/account';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { MasterDataStore } from '../master-data-store';

export class AccountRepository extends MasterDataStore<Account> {
  constructor(table: TableContext, clock: Clock) {
    super(table, { resource: 'Account', type: 'ACCOUNT' }, clock);
  }
}
