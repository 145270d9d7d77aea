import { authorize } from '../access/permissions';
import type { Principal } from '../access/principal';
import type { TenantSettings } from '../organisation/tenant';
import { DEFAULT_TENANT_SETTINGS } from '../organisation/tenant-defaults';
import { ValidationError } from '../shared/errors';
import type { Account } from './account';
import type { Contact } from './contact';

/*
 * Customer lookup while a work order is created: accounts and contacts found by
 * name, e-mail or phone, in the mode the tenant's admin chose.
 *
 * - fuzzy: the query is a prefix of a word of the name or e-mail, or of a phone
 *   number; case and accents do not matter; at least 2 characters, at most 10 results.
 * - exact: only the full value (whole name, whole address, whole number) matches,
 *   so nobody can page through the customer base by typing "a", "b", ...
 *
 * Everything here is pure: the tokens an entity is found by, and the rules of a
 * query. The adapter stores one index item per token in the entity's transaction.
 */

export const LOOKUP_MODES = ['fuzzy', 'exact'] as const;
export type LookupMode = (typeof LOOKUP_MODES)[number];

/** Shortest fuzzy query (after normalisation) and most results per lookup. */
export const MIN_FUZZY_QUERY_LENGTH = 2;
export const MAX_LOOKUP_RESULTS = 10;
/**
 * Fuzzy tokens per entity. With at most 5 exact values, an update that
 * replaces every token writes 2 × 35 index items + entity + outbox event,
 * well inside the 100 items of one TransactWriteItems.
 */
export const MAX_FUZZY_TOKENS = 30;
export const MAX_EXACT_VALUES = 5;
/** Code points kept of a token: sort keys stay far below DynamoDB's 1,024 bytes. */
export const MAX_TOKEN_LENGTH = 100;
export const MAX_EXACT_VALUE_LENGTH = 200;
/** Phone suffixes shorter than this are too unspecific to index (a subscriber number has ~7 digits). */
export const MIN_PHONE_SUFFIX_LENGTH = 7;

export type CustomerType = 'account' | 'contact';

/** What a lookup answers per customer, stored on every index item so no second read is needed. */
export interface CustomerSummary {
  type: CustomerType;
  id: string;
  name: string;
  accountId?: string;
  email?: string;
  phone?: string;
}

export interface CustomerLookupResult {
  mode: (typeof LOOKUP_MODES)[number];
  items: CustomerSummary[];
}

// ---------------------------------------------------------------------------
// Normalisation

/** Letters that Unicode decomposition does not reduce to a base letter. */
const FOLDED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower case without accents: "MÜLLER", "Müller" and "Muller" all become "muller"; "Łódź" becomes "lodz". */
export function normaliseText(value: string): string {
  return value
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => FOLDED[letter] ?? letter)
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

/**
 * The words of a text, normalised, split on anything that is not a letter or
 * a digit. Numbers lose leading zeros, as phone numbers do, so "Filiale 007"
 * and a query "7" or "007" agree.
 */
export function words(value: string): string[] {
  return normaliseText(value)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .map((word) => (/^[0-9]+$/.test(word) ? word.replace(/^0+(?=[0-9])/, '') : word));
}

/**
 * The digits of a phone number without leading zeros and without the "(0)" some
 * write after the country code: "+49 221 555-0100", "0049 221 5550100" and
 * "+49 (0)221 5550100" all become "492215550100".
 */
export function phoneDigits(value: string): string {
  return value
    .replace(/\(0\)/g, '')
    .replace(/[^0-9]/g, '')
    .replace(/^0+/, '');
}

/** A whole e-mail address, normalised as one value (exact mode). */
export function normaliseEmail(value: string): string {
  return normaliseText(value).replace(/[\s#]/g, '');
}

/** A query without letters is a phone number (or a number in a name): only its digits count. */
function isNumberQuery(value: string): boolean {
  return !/\p{L}/u.test(value) && /[0-9]/.test(value);
}

const truncate = (value: string, max: number) => {
  const codePoints = Array.from(value);
  return codePoints.length <= max ? value : codePoints.slice(0, max).join('').trimEnd();
};
const length = (value: string) => Array.from(value).length;

// ---------------------------------------------------------------------------
// Tokens of an entity

/**
 * Each word with the rest of the text after it: "müller heating gmbh",
 * "heating gmbh", "gmbh". A prefix of any word is then a prefix of a token,
 * and so is a phrase typed from any word on ("heating gm").
 */
export function wordSequences(value: string, options: { startsBefore?: number } = {}): string[] {
  const all = words(value);
  const starts = Math.min(all.length, options.startsBefore ?? all.length);
  return Array.from({ length: starts }, (_, i) => all.slice(i).join(' '));
}

/**
 * An address as word sequences: the whole address ("hans mueller example com"),
 * each local-part word and each domain word on, except the top-level domain
 * alone ("com" would match every ".com" customer).
 */
export function emailTokens(email: string): string[] {
  const at = email.lastIndexOf('@');
  const domainWords = at >= 0 ? words(email.slice(at + 1)).length : 0;
  const total = words(email).length;
  return wordSequences(email, { startsBefore: domainWords > 1 ? total - 1 : total });
}

/**
 * A number and each of its endings of at least 7 digits, longest first:
 * "+49 221 555 0100" is found by "+49 221…", "0049 221…", "0221 555…"
 * (leading zeros are dropped from queries too), "221 555…" and "555 0100",
 * whatever the length of the country and area codes.
 */
export function phoneTokens(phone: string): string[] {
  const digits = phoneDigits(phone);
  if (digits.length === 0) return [];
  const tokens = [digits];
  for (let start = 1; digits.length - start >= MIN_PHONE_SUFFIX_LENGTH; start++)
    tokens.push(digits.slice(start));
  return tokens;
}

/**
 * Takes from each field's list in turn, so a long name cannot push the phone
 * numbers out of the bound; drops tokens too short to be queried and duplicates.
 */
export function boundTokens(fields: string[][], max = MAX_FUZZY_TOKENS): string[] {
  const lists = fields.map((tokens) =>
    tokens
      .map((token) => truncate(token, MAX_TOKEN_LENGTH))
      .filter((t) => length(t) >= MIN_FUZZY_QUERY_LENGTH),
  );
  const chosen = new Set<string>();
  for (let round = 0; chosen.size < max && lists.some((list) => round < list.length); round++) {
    for (const list of lists) {
      const token = list[round];
      if (token !== undefined && chosen.size < max) chosen.add(token);
    }
  }
  return [...chosen];
}

/** What one customer is found by, and what a hit shows. */
export interface LookupEntries {
  tenantId: string;
  customer: CustomerSummary;
  /** Prefix-searchable tokens (fuzzy mode). */
  fuzzy: string[];
  /** Whole normalised values (exact mode). */
  exact: string[];
}

const exactValues = (values: (string | undefined)[]): string[] => [
  ...new Set(
    values
      .filter((value): value is string => value !== undefined && value.length > 0)
      .map((value) => truncate(value, MAX_EXACT_VALUE_LENGTH)),
  ),
];

export function accountLookupEntries(account: Account): LookupEntries {
  return {
    tenantId: account.tenantId,
    customer: summary({
      type: 'account',
      id: account.id,
      name: account.name,
      email: account.email,
      phone: account.phone,
    }),
    fuzzy: boundTokens([
      wordSequences(account.name),
      account.email ? emailTokens(account.email) : [],
      account.phone ? phoneTokens(account.phone) : [],
    ]),
    exact: exactValues([
      exactQueryValue(account.name),
      account.email ? normaliseEmail(account.email) : undefined,
      account.phone ? phoneDigits(account.phone) : undefined,
    ]).slice(0, MAX_EXACT_VALUES),
  };
}

/** A contact is found as "first last" and as "last first". */
export function contactLookupEntries(contact: Contact): LookupEntries {
  const firstLast = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  const lastFirst = [contact.lastName, contact.firstName].filter(Boolean).join(' ');
  return {
    tenantId: contact.tenantId,
    customer: summary({
      type: 'contact',
      id: contact.id,
      name: firstLast,
      accountId: contact.accountId,
      email: contact.email,
      phone: contact.phone ?? contact.mobile,
    }),
    fuzzy: boundTokens([
      wordSequences(firstLast),
      wordSequences(lastFirst),
      contact.email ? emailTokens(contact.email) : [],
      contact.phone ? phoneTokens(contact.phone) : [],
      contact.mobile ? phoneTokens(contact.mobile) : [],
    ]),
    exact: exactValues([
      exactQueryValue(firstLast),
      exactQueryValue(lastFirst),
      contact.email ? normaliseEmail(contact.email) : undefined,
      contact.phone ? phoneDigits(contact.phone) : undefined,
      contact.mobile ? phoneDigits(contact.mobile) : undefined,
    ]).slice(0, MAX_EXACT_VALUES),
  };
}

function summary(customer: CustomerSummary): CustomerSummary {
  const result: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(customer)) if (value !== undefined) result[field] = value;
  return result as unknown as CustomerSummary;
}

/** The index items a write adds, replaces and removes. */
export interface LookupChanges {
  tenantId: string;
  type: CustomerType;
  id: string;
  /** Written with this summary (new tokens; every token when the summary changed). */
  put: { customer: CustomerSummary; fuzzy: string[]; exact: string[] } | undefined;
  remove: { fuzzy: string[]; exact: string[] };
}

/**
 * Old tokens against new: removed ones are deleted, added ones written. A
 * changed summary (name, e-mail, phone, account) rewrites every remaining item,
 * since each carries it.
 */
export function lookupChanges(
  before: LookupEntries | undefined,
  after: LookupEntries | undefined,
): LookupChanges | undefined {
  const subject = after ?? before;
  if (!subject) return undefined;
  const sameSummary =
    before !== undefined && after !== undefined && sameCustomer(before.customer, after.customer);
  const minus = (a: string[] = [], b: string[] = []) => a.filter((token) => !b.includes(token));
  return {
    tenantId: subject.tenantId,
    type: subject.customer.type,
    id: subject.customer.id,
    put: after
      ? {
          customer: after.customer,
          fuzzy: sameSummary ? minus(after.fuzzy, before?.fuzzy) : after.fuzzy,
          exact: sameSummary ? minus(after.exact, before?.exact) : after.exact,
        }
      : undefined,
    remove: { fuzzy: minus(before?.fuzzy, after?.fuzzy), exact: minus(before?.exact, after?.exact) },
  };
}

function sameCustomer(a: CustomerSummary, b: CustomerSummary): boolean {
  const fields = ['type', 'id', 'name', 'accountId', 'email', 'phone'] as const;
  return fields.every((field) => a[field] === b[field]);
}

// ---------------------------------------------------------------------------
// Queries

/** The token a fuzzy query searches for: a number's digits, or the words joined as in the index. */
export function fuzzyQueryKey(query: string): string {
  const key = isNumberQuery(query) ? phoneDigits(query) : words(query).join(' ');
  return truncate(key, MAX_TOKEN_LENGTH);
}

/** The whole value an exact query must equal: an address, a number's digits, or a name's words. */
export function exactQueryValue(query: string): string {
  const value = query.includes('@')
    ? normaliseEmail(query)
    : isNumberQuery(query)
      ? phoneDigits(query)
      : words(query).join(' ');
  return truncate(value, MAX_EXACT_VALUE_LENGTH);
}

/** Port: the lookup index, written with the customers and read here. */
export interface CustomerLookupIndex {
  /** Distinct customers with a token starting with `prefix`, in token order. */
  fuzzy(tenantId: string, prefix: string, limit: number): Promise<CustomerSummary[]>;
  /** Distinct customers with a value equal to `value`. */
  exact(tenantId: string, value: string, limit: number): Promise<CustomerSummary[]>;
}

/** Port: where the tenant's lookup mode is read. */
export interface TenantSettingsSource {
  get(tenantId: string): Promise<{ settings: Pick<TenantSettings, 'customerLookup'> } | undefined>;
}

export class CustomerLookupService {
  constructor(
    private readonly tenants: TenantSettingsSource,
    private readonly index: CustomerLookupIndex,
  ) {}

  /**
   * Reads the mode on every call (no cache): switching a tenant to exact
   * must stop prefix answers at once.
   */
  async lookup(principal: Principal, query: string): Promise<CustomerLookupResult> {
    authorize(principal, 'customer:read');
    const tenant = await this.tenants.get(principal.tenantId);
    const mode = tenant?.settings.customerLookup ?? DEFAULT_TENANT_SETTINGS.customerLookup;
    if (mode === 'exact') {
      const value = exactQueryValue(query);
      if (value.length === 0) throw invalidQuery('Must contain letters or digits');
      return { mode, items: await this.index.exact(principal.tenantId, value, MAX_LOOKUP_RESULTS) };
    }
    const prefix = fuzzyQueryKey(query);
    if (length(prefix) < MIN_FUZZY_QUERY_LENGTH) {
      throw invalidQuery(`Must contain at least ${MIN_FUZZY_QUERY_LENGTH} letters or digits`);
    }
    return { mode, items: await this.index.fuzzy(principal.tenantId, prefix, MAX_LOOKUP_RESULTS) };
  }
}

function invalidQuery(message: string): ValidationError {
  return new ValidationError('The lookup query is too short', [{ field: 'q', message }]);
}
