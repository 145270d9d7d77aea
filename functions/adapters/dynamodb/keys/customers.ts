import { type IndexKeys, type ItemKey, tenant } from './key-types';

/** Accounts, contacts and devices, and the customer lookup. */
export const customerKeys = {
  /** Contacts and devices of an account, in one Query on gsi1. */
  accountChildIndexes: (
    tenantId: string,
    type: 'CONTACT' | 'DEVICE',
    child: { id: string; accountId?: string },
  ): IndexKeys =>
    child.accountId
      ? { gsi1pk: `${tenant(tenantId)}#ACCOUNT#${child.accountId}`, gsi1sk: `${type}#${child.id}` }
      : {},
  contactEmailIndex: (tenantId: string, contact: { id: string; email?: string }): IndexKeys =>
    contact.email
      ? { gsi2pk: `${tenant(tenantId)}#CONTACT_EMAIL#${contact.email}`, gsi2sk: `CONTACT#${contact.id}` }
      : {},
  contactsByEmail: (tenantId: string, email: string) => ({
    index: 'gsi2' as const,
    pk: `${tenant(tenantId)}#CONTACT_EMAIL#${email}`,
    skPrefix: 'CONTACT#',
  }),
  /** Without a type: contacts and devices together. */
  childrenOfAccount: (tenantId: string, accountId: string, type?: 'CONTACT' | 'DEVICE') => ({
    index: 'gsi1' as const,
    pk: `${tenant(tenantId)}#ACCOUNT#${accountId}`,
    skPrefix: type ? `${type}#` : '',
  }),

  /**
   * Customer lookup, fuzzy: one item per token of an account or contact, in a
   * partition per tenant and first two characters of the token (spreads the
   * load; a query of at least two characters names its partition).
   */
  lookupFuzzy: (tenantId: string, token: string, type: 'ACCOUNT' | 'CONTACT', id: string): ItemKey => ({
    pk: `${tenant(tenantId)}#LOOKUP#${Array.from(token).slice(0, 2).join('')}`,
    sk: `${token}#${type}#${id}`,
  }),
  /** Tokens starting with a prefix of at least two characters. */
  lookupFuzzyPrefix: (tenantId: string, prefix: string) => ({
    pk: `${tenant(tenantId)}#LOOKUP#${Array.from(prefix).slice(0, 2).join('')}`,
    skPrefix: prefix,
  }),
  /** Customer lookup, exact: one item per whole value (name, e-mail, phone), partitioned like the fuzzy ones. */
  lookupExact: (tenantId: string, value: string, type: 'ACCOUNT' | 'CONTACT', id: string): ItemKey => ({
    pk: `${tenant(tenantId)}#LOOKUP_EXACT#${Array.from(value).slice(0, 2).join('')}`,
    sk: `${value}#${type}#${id}`,
  }),
  /** Items of exactly this value: values never contain `#`, so `<value>#` ends the value. */
  lookupExactValue: (tenantId: string, value: string) => ({
    pk: `${tenant(tenantId)}#LOOKUP_EXACT#${Array.from(value).slice(0, 2).join('')}`,
    skPrefix: `${value}#`,
  }),
} as const;
