import type { Agreement } from '../../domain/agreements/agreement';
import type { TableContext } from './client';
import { keys } from './keys';
import { queryAll } from './query';

/** What the account summary shows of an agreement. */
export interface AgreementHeadline {
  id: string;
  name: string;
  subject: Agreement['subject'];
  startDate: string;
  endDate: string;
  coverage: Agreement['coverage'];
}

/** The active agreements of an account (its devices' too), read by their index without the lines. */
export async function activeAgreementsOf(
  table: TableContext,
  tenantId: string,
  accountId: string,
): Promise<AgreementHeadline[]> {
  const items = await queryAll(table, keys.agreementsOfAccount(tenantId, accountId), {
    projection: ['id', 'name', 'subject', 'startDate', 'endDate', 'coverage', 'status'],
  });
  return items
    .filter((item) => item.status === 'active')
    .map(({ status: _status, ...headline }) => headline as unknown as AgreementHeadline);
}
