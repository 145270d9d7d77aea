import { describe, expect, it } from 'vitest';
import type { Principal } from '../../functions/domain/access/principal';
import type { Account } from '../../functions/domain/customers/account';
import type { Contact } from '../../functions/domain/customers/contact';
import {
  accountLookupEntries,
  boundTokens,
  type CustomerLookupIndex,
  CustomerLookupService,
  type CustomerSummary,
  contactLookupEntries,
  emailTokens,
  exactQueryValue,
  fuzzyQueryKey,
  lookupChanges,
  MAX_EXACT_VALUES,
  MAX_FUZZY_TOKENS,
  normaliseText,
  phoneDigits,
  phoneTokens,
  words,
} from '../../functions/domain/customers/lookup';
import { ForbiddenError, ValidationError } from '../../functions/domain/shared/errors';

const base = {
  tenantId: 't1',
  version: 1,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
};
const account = (fields: Partial<Account> = {}): Account => ({
  ...base,
  id: 'a1',
  name: 'Müller Heating GmbH',
  kind: 'company',
  ...fields,
});
const contact = (fields: Partial<Contact> = {}): Contact => ({
  ...base,
  id: 'c1',
  firstName: 'Hans',
  lastName: 'Müller',
  ...fields,
});

describe('normalisation', () => {
  it.each([
    ['Müller', 'muller'],
    ['MÜLLER', 'muller'],
    ['Muller', 'muller'],
    ['Ærø', 'aero'],
    ['Łódź', 'lodz'],
    ['Straße', 'strasse'],
    ['STRAẞE', 'strasse'],
    ['Øresund', 'oresund'],
    ['Œuvre', 'oeuvre'],
    ['François Ñúñez', 'francois nunez'],
    ['İstanbul', 'istanbul'],
  ])('%s becomes %s', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });

  it('splits words on anything that is not a letter or digit, and drops leading zeros of numbers', () => {
    expect(words('  Müller-Lüdenscheidt & Söhne, Filiale 007 (Köln)')).toEqual([
      'muller',
      'ludenscheidt',
      'sohne',
      'filiale',
      '7',
      'koln',
    ]);
  });

  it('keeps only the digits of a phone number, without leading zeros or a "(0)"', () => {
    for (const written of [
      '+49 221 555-0100',
      '0049 221 5550100',
      '+49 (0)221 555 01 00',
      '49.221.555.0100',
    ]) {
      expect(phoneDigits(written), written).toBe('492215550100');
    }
    expect(phoneDigits('0221 / 555 0100')).toBe('2215550100');
  });
});

describe('tokens of an entity', () => {
  it('indexes each word of an account name with the rest of the name after it', () => {
    const entries = accountLookupEntries(account());
    expect(entries.fuzzy).toEqual(['muller heating gmbh', 'heating gmbh', 'gmbh']);
    expect(entries.exact).toEqual(['muller heating gmbh']);
    expect(entries.customer).toEqual({ type: 'account', id: 'a1', name: 'Müller Heating GmbH' });
  });

  it('finds a contact as "first last" and as "last first"', () => {
    const entries = contactLookupEntries(contact({ accountId: 'a1' }));
    expect(entries.fuzzy).toEqual(['hans muller', 'muller hans', 'muller', 'hans']);
    expect(entries.exact).toEqual(['hans muller', 'muller hans']);
    expect(entries.customer).toEqual({ type: 'contact', id: 'c1', name: 'Hans Müller', accountId: 'a1' });
  });

  it('indexes an address whole and from each word on, but not the top-level domain alone', () => {
    expect(emailTokens('hans.mueller@heating.example.com')).toEqual([
      'hans mueller heating example com',
      'mueller heating example com',
      'heating example com',
      'example com',
    ]);
    expect(exactQueryValue('Hans.Mueller@Heating.Example.com')).toBe('hans.mueller@heating.example.com');
  });

  it('indexes a phone number and each ending of at least 7 digits', () => {
    expect(phoneTokens('+49 221 555 0100')).toEqual([
      '492215550100',
      '92215550100',
      '2215550100',
      '215550100',
      '15550100',
      '5550100',
    ]);
    expect(phoneTokens('112')).toEqual(['112']);
    expect(phoneTokens('---')).toEqual([]);
  });

  it('gives an account its e-mail and phone values, and a contact both of its numbers', () => {
    const a = accountLookupEntries(account({ email: 'info@mueller.example', phone: '+49 221 555 0100' }));
    const c = contactLookupEntries(contact({ phone: '+49 221 555 0100', mobile: '+49 171 1234567' }));
    expect(a.exact).toEqual(['muller heating gmbh', 'info@mueller.example', '492215550100']);
    expect(a.fuzzy).toEqual(expect.arrayContaining(['info mueller example', 'mueller example', '5550100']));
    expect(c.exact).toEqual(['hans muller', 'muller hans', '492215550100', '491711234567']);
    expect(c.fuzzy).toEqual(expect.arrayContaining(['2215550100', '1711234567']));
    expect(c.customer.phone).toBe('+49 221 555 0100');
  });

  it('bounds the tokens of one entity, taking from every field in turn', () => {
    // Prepare: a name of 40 words would alone exceed the bound
    const longName = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

    // Act
    const entries = contactLookupEntries(
      contact({
        firstName: longName,
        lastName: 'Müller',
        email: 'a.b.c.d.e.f.g.h@i.j.k.example.com',
        phone: '+49 221 555 0100',
        mobile: '+49 171 1234567',
      }),
    );

    // Assess
    expect(entries.fuzzy).toHaveLength(MAX_FUZZY_TOKENS);
    expect(new Set(entries.fuzzy).size).toBe(entries.fuzzy.length);
    expect(entries.fuzzy).toEqual(expect.arrayContaining(['492215550100', '491711234567', '5550100']));
    expect(entries.fuzzy.some((token) => token.startsWith('muller '))).toBe(true);
    expect(entries.fuzzy.some((token) => token.startsWith('a b c d'))).toBe(true);
    expect(entries.fuzzy.every((token) => Array.from(token).length <= 100)).toBe(true);
    expect(entries.exact.length).toBeLessThanOrEqual(MAX_EXACT_VALUES);
    // An update replacing every token still fits one transaction: removed + added + entity + outbox event.
    expect(2 * (MAX_FUZZY_TOKENS + MAX_EXACT_VALUES) + 2).toBeLessThanOrEqual(100);
  });

  it('drops duplicates and tokens of a single character', () => {
    expect(
      boundTokens([
        ['ab', 'a', 'ab'],
        ['ab', 'cd'],
      ]),
    ).toEqual(['ab', 'cd']);
  });
});

describe('index changes', () => {
  it('writes nothing when no indexed field changed (e.g. only the notes)', () => {
    // Prepare
    const before = accountLookupEntries(account({ name: 'Acme Heating', notes: 'old' }));
    const after = accountLookupEntries(account({ name: 'Acme Heating', notes: 'new' }));

    // Act
    const unchanged = lookupChanges(before, after);

    // Assess
    expect(unchanged?.put).toMatchObject({ fuzzy: [], exact: [] });
    expect(unchanged?.remove).toEqual({ fuzzy: [], exact: [] });
  });

  it('writes only the added tokens when the summary stays (a contact gets a second number)', () => {
    const before = contactLookupEntries(contact({ phone: '+49 221 555 0100' }));
    const after = contactLookupEntries(contact({ phone: '+49 221 555 0100', mobile: '+49 171 1234567' }));

    const changes = lookupChanges(before, after);

    expect(changes?.put?.fuzzy).toEqual(phoneTokens('+49 171 1234567'));
    expect(changes?.put?.exact).toEqual(['491711234567']);
    expect(changes?.remove).toEqual({ fuzzy: [], exact: [] });
  });

  it('rewrites every token when the summary changes, and deletes the ones no longer there', () => {
    const before = accountLookupEntries(account({ name: 'Acme Heating' }));
    const after = accountLookupEntries(account({ name: 'Acme Cooling' }));

    const changes = lookupChanges(before, after);

    expect(changes?.put?.fuzzy).toEqual(['acme cooling', 'cooling']);
    expect(changes?.put?.customer.name).toBe('Acme Cooling');
    expect(changes?.remove).toEqual({ fuzzy: ['acme heating', 'heating'], exact: ['acme heating'] });
  });

  it('writes everything on create and deletes everything on delete', () => {
    const entries = contactLookupEntries(contact());
    expect(lookupChanges(undefined, entries)).toMatchObject({
      put: { fuzzy: entries.fuzzy, exact: entries.exact },
    });
    expect(lookupChanges(entries, undefined)).toMatchObject({
      put: undefined,
      remove: { fuzzy: entries.fuzzy, exact: entries.exact },
    });
  });
});

describe('queries', () => {
  it('turns a fuzzy query into the token form of the index', () => {
    expect(fuzzyQueryKey('MÜLL')).toBe('mull');
    expect(fuzzyQueryKey('  Heating  GM ')).toBe('heating gm');
    expect(fuzzyQueryKey('hans.mueller@exa')).toBe('hans mueller exa');
    expect(fuzzyQueryKey('+49 221 555')).toBe('49221555');
    expect(fuzzyQueryKey('0221 555')).toBe('221555');
    expect(fuzzyQueryKey('a')).toBe('a');
  });

  it('turns an exact query into a whole value: an address, a number or a name', () => {
    expect(exactQueryValue('  HANS  Müller ')).toBe('hans muller');
    expect(exactQueryValue('Info@Mueller.Example')).toBe('info@mueller.example');
    expect(exactQueryValue('+49 (0)221 555 0100')).toBe('492215550100');
  });
});

describe('CustomerLookupService', () => {
  const staff: Principal = { tenantId: 't1', userId: 'u1', roles: ['service-staff'] } as Principal;
  const calls: { mode: string; tenantId: string; key: string; limit: number }[] = [];
  const hit: CustomerSummary = { type: 'account', id: 'a1', name: 'Müller Heating GmbH' };
  const index: CustomerLookupIndex = {
    fuzzy: async (tenantId, key, limit) => {
      calls.push({ mode: 'fuzzy', tenantId, key, limit });
      return [hit];
    },
    exact: async (tenantId, key, limit) => {
      calls.push({ mode: 'exact', tenantId, key, limit });
      return [];
    },
  };
  const service = (mode: 'fuzzy' | 'exact' | undefined) =>
    new CustomerLookupService(
      { get: async () => (mode ? { settings: { customerLookup: mode } } : undefined) },
      index,
    );

  it('searches by prefix in fuzzy mode, at most 10 results, in the principal tenant', async () => {
    calls.length = 0;
    const result = await service('fuzzy').lookup(staff, 'Mül');
    expect(result).toEqual({ mode: 'fuzzy', items: [hit] });
    expect(calls).toEqual([{ mode: 'fuzzy', tenantId: 't1', key: 'mul', limit: 10 }]);
  });

  it('searches the whole value in exact mode', async () => {
    calls.length = 0;
    const result = await service('exact').lookup(staff, 'Mül');
    expect(result).toEqual({ mode: 'exact', items: [] });
    expect(calls).toEqual([{ mode: 'exact', tenantId: 't1', key: 'mul', limit: 10 }]);
  });

  it('uses the default mode for a tenant without a record', async () => {
    const result = await service(undefined).lookup(staff, 'Mül');
    expect(result.mode).toBe('fuzzy');
  });

  it('refuses a fuzzy query of fewer than 2 letters or digits, naming q (the API says query.q)', async () => {
    const refused = service('fuzzy').lookup(staff, 'Ä-');
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ fields: [{ field: 'q' }] });
    await expect(service('exact').lookup(staff, '--')).rejects.toBeInstanceOf(ValidationError);
  });

  it('needs customer:read', async () => {
    const nobody = { ...staff, roles: [] } as unknown as Principal;
    await expect(service('fuzzy').lookup(nobody, 'mul')).rejects.toBeInstanceOf(ForbiddenError);
  });
});
