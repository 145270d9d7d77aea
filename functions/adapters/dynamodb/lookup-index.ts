import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CustomerLookupIndex,
  type CustomerSummary,
  type LookupEntries,
  lookupChanges,
} from '../../domain/customers/lookup';
import type { TableContext } from './client';
import { keys } from './keys';
import type { KeyQuery } from './query';
import type { Transaction } from './transaction';

export const LOOKUP_ENTITY_TYPE = 'CustomerLookup';
/** Items per Query page, and Query calls per lookup at most (a customer has several tokens per prefix). */
const PAGE_SIZE = 25;
const MAX_QUERY_CALLS = 5;

const TYPE = { account: 'ACCOUNT', contact: 'CONTACT' } as const;
const SUMMARY_ATTRIBUTES = ['customerType', 'customerId', 'name', 'accountId', 'email', 'phone'] as const;

/**
 * The customer lookup index: items in the table itself (no GSI), written in
 * the transaction of the account or contact they describe, read with Queries.
 * Every item carries the customer's summary, so a lookup needs no second read.
 */
export class DynamoCustomerLookupIndex implements CustomerLookupIndex {
  constructor(private readonly table: TableContext) {}

  /** Adds the index writes of a create (`before` undefined), update or delete (`after` undefined). */
  addChanges(tx: Transaction, before: LookupEntries | undefined, after: LookupEntries | undefined): void {
    const changes = lookupChanges(before, after);
    if (!changes) return;
    const { tenantId, id } = changes;
    const type = TYPE[changes.type];
    // No conditions: the entity's own version condition in the same transaction guards these items.
    const unconditional = () => new Error('Lookup index items are written without a condition');
    for (const token of changes.remove.fuzzy)
      tx.delete(keys.lookupFuzzy(tenantId, token, type, id), undefined, unconditional);
    for (const value of changes.remove.exact)
      tx.delete(keys.lookupExact(tenantId, value, type, id), undefined, unconditional);
    if (!changes.put) return;
    const attributes = {
      entityType: LOOKUP_ENTITY_TYPE,
      customerType: changes.put.customer.type,
      customerId: changes.put.customer.id,
      name: changes.put.customer.name,
      accountId: changes.put.customer.accountId,
      email: changes.put.customer.email,
      phone: changes.put.customer.phone,
    };
    for (const token of changes.put.fuzzy)
      tx.put({ ...keys.lookupFuzzy(tenantId, token, type, id), ...attributes }, undefined, unconditional);
    for (const value of changes.put.exact)
      tx.put({ ...keys.lookupExact(tenantId, value, type, id), ...attributes }, undefined, unconditional);
  }

  fuzzy(tenantId: string, prefix: string, limit: number): Promise<CustomerSummary[]> {
    return this.distinctCustomers(keys.lookupFuzzyPrefix(tenantId, prefix), limit);
  }

  exact(tenantId: string, value: string, limit: number): Promise<CustomerSummary[]> {
    return this.distinctCustomers(keys.lookupExactValue(tenantId, value), limit);
  }

  /**
   * Pages through the key condition until `limit` distinct customers are found,
   * at most MAX_QUERY_CALLS Queries. Consistent reads: a customer created a
   * moment ago is found by the work order created next.
   */
  private async distinctCustomers(query: KeyQuery, limit: number): Promise<CustomerSummary[]> {
    const found = new Map<string, CustomerSummary>();
    const names: Record<string, string> = { '#pk': 'pk', '#sk': 'sk' };
    for (const [i, attribute] of SUMMARY_ATTRIBUTES.entries()) names[`#a${i}`] = attribute;
    let startKey: Record<string, unknown> | undefined;
    for (let call = 0; call < MAX_QUERY_CALLS && found.size < limit; call++) {
      const { Items = [], LastEvaluatedKey } = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':pk': query.pk, ':prefix': query.skPrefix },
          ProjectionExpression: SUMMARY_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
          ConsistentRead: true,
          Limit: PAGE_SIZE,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of Items) {
        const customer = toSummary(item);
        const key = `${customer.type}#${customer.id}`;
        if (!found.has(key) && found.size < limit) found.set(key, customer);
      }
      if (!LastEvaluatedKey) break;
      startKey = LastEvaluatedKey;
    }
    return [...found.values()];
  }
}

function toSummary(item: Record<string, unknown>): CustomerSummary {
  const text = (attribute: string) => (typeof item[attribute] === 'string' ? item[attribute] : undefined);
  const summary: CustomerSummary = {
    type: item.customerType === 'contact' ? 'contact' : 'account',
    id: String(item.customerId),
    name: String(item.name ?? ''),
  };
  const accountId = text('accountId');
  const email = text('email');
  const phone = text('phone');
  if (accountId) summary.accountId = accountId;
  if (email) summary.email = email;
  if (phone) summary.phone = phone;
  return summary;
}
