import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import { startTestApi, type TestApi } from '../helpers/api';

interface LookupItem {
  type: 'account' | 'contact';
  id: string;
  name: string;
  accountId?: string;
  email?: string;
  phone?: string;
}
interface LookupAnswer {
  mode: 'fuzzy' | 'exact';
  items: LookupItem[];
}

let api: TestApi;
/** Tenant "fuzzy-co" keeps the default mode; "exact-co" is switched to exact; "other-co" is a bystander. */
const admin: Record<string, string> = {};
const agent: Record<string, string> = {};
/** Customers every describe block relies on, created once. */
let heating: string;
let zoe: string;
let hans: string;
let geheim: string;
let erika: string;

beforeAll(async () => {
  api = await startTestApi();
  const { tenants } = compose(basePorts(api.table)).masterData;
  for (const tenant of ['fuzzy-co', 'exact-co', 'other-co']) {
    await tenants.create({
      id: tenant,
      name: tenant,
      admin: { id: 'u-admin', name: 'Admin', email: `admin@${tenant}.example` },
    });
    admin[tenant] = api.token(tenant, 'u-admin', 'crm-admin');
    agent[tenant] = api.token(tenant, 'u-agent', 'call-center-agent');
  }
  const switched = await api.request('PATCH', '/tenant', {
    token: admin['exact-co'],
    body: { settings: { customerLookup: 'exact' }, version: 1 },
  });
  expect(switched.status).toBe(200);

  heating = (
    await create('fuzzy-co', '/accounts', {
      name: 'Müller Heating GmbH',
      email: 'service@mueller-heating.example',
      phone: '+49 221 555 0100',
    })
  ).id;
  zoe = (
    await create('fuzzy-co', '/contacts', {
      firstName: 'Zoë',
      lastName: 'Ångström',
      email: 'zoe.angstrom@kunde.example',
      mobile: '+46 70 123 45 67',
      accountId: heating,
    })
  ).id;
  hans = (await create('fuzzy-co', '/contacts', { firstName: 'Hans', lastName: 'Müller' })).id;
  geheim = (
    await create('exact-co', '/accounts', {
      name: 'Geheim Analytics AG',
      email: 'board@geheim.example',
      phone: '+41 44 555 12 34',
    })
  ).id;
  erika = (
    await create('exact-co', '/contacts', {
      firstName: 'Erika',
      lastName: 'Mustermann',
      email: 'erika@geheim.example',
      accountId: geheim,
    })
  ).id;
});
afterAll(async () => api?.close());

async function create(tenant: string, path: string, body: unknown) {
  const response = await api.request('POST', path, { token: admin[tenant], body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; version: number };
}

const lookup = async (tenant: string, q: string) => {
  const response = await api.request<LookupAnswer>('GET', `/customers/lookup?q=${encodeURIComponent(q)}`, {
    token: agent[tenant],
  });
  expect(response.status, `${q}: ${JSON.stringify(response.body)}`).toBe(200);
  return response.body;
};
const idsFound = async (tenant: string, q: string) => (await lookup(tenant, q)).items.map((item) => item.id);

describe('fuzzy lookup (the default mode)', () => {
  it.each([
    ['a word of the account name, in capitals', 'MÜLL', 'heating'],
    ['a later word of the account name', 'heat', 'heating'],
    ['a phrase from a later word on', 'heating gm', 'heating'],
    ['a word of the account e-mail', 'mueller-h', 'heating'],
    ['the start of the account e-mail', 'service@mueller', 'heating'],
    ['the phone number as dialled abroad', '+49 221 55', 'heating'],
    ['the phone number in national form', '0221 555', 'heating'],
    ['the subscriber number', '555 0100', 'heating'],
    ['a first name without its accent', 'zoe', 'zoe'],
    ['a last name without its accent, in capitals', 'ANGS', 'zoe'],
    ['a last name with its accent', 'Ångs', 'zoe'],
    ['last name then first name', 'angstrom zo', 'zoe'],
    ['a domain word of the contact e-mail', 'kunde', 'zoe'],
    ['the mobile number in national form', '070 123', 'zoe'],
  ])('finds by %s (%s)', async (_, q, expected) => {
    // Act
    const answer = await lookup('fuzzy-co', q);

    // Assess
    const id = { heating, zoe }[expected as 'heating' | 'zoe'];
    expect(answer.mode).toBe('fuzzy');
    expect(answer.items.map((item) => item.id)).toContain(id);
  });

  it('answers each customer once, with the summary a result list needs', async () => {
    // "muller" is a prefix of several tokens of the same customers ("muller hans", "muller heating gmbh", ...)
    const answer = await lookup('fuzzy-co', 'Muller');

    const ids = answer.items.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(answer.items).toEqual(
      expect.arrayContaining([
        {
          type: 'account',
          id: heating,
          name: 'Müller Heating GmbH',
          email: 'service@mueller-heating.example',
          phone: '+49 221 555 0100',
        },
        { type: 'contact', id: hans, name: 'Hans Müller' },
      ]),
    );
    const contact = (await lookup('fuzzy-co', 'zoe')).items.find((item) => item.id === zoe);
    expect(contact).toEqual({
      type: 'contact',
      id: zoe,
      name: 'Zoë Ångström',
      accountId: heating,
      email: 'zoe.angstrom@kunde.example',
      phone: '+46 70 123 45 67',
    });
  });

  it('answers at most 10 customers when many match', async () => {
    // Prepare
    for (let i = 1; i <= 12; i++) await create('fuzzy-co', '/accounts', { name: `Quarry Works ${i}` });
    for (let i = 1; i <= 3; i++) await create('fuzzy-co', '/contacts', { lastName: `Quarrington ${i}` });

    // Act
    const ids = await idsFound('fuzzy-co', 'quar');

    // Assess
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
  });

  it.each([
    ['one letter', 'm'],
    ['one accented letter', 'Ä'],
    ['one letter among separators', '-m-'],
    ['one digit after leading zeros', '007'],
  ])('refuses a query of %s with 400 naming query.q', async (_, q) => {
    const response = await api.request('GET', `/customers/lookup?q=${encodeURIComponent(q)}`, {
      token: agent['fuzzy-co'],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'query.q' })]);
  });

  it('refuses a missing query with 400 naming query.q', async () => {
    const response = await api.request('GET', '/customers/lookup', { token: agent['fuzzy-co'] });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'query.q' })]);
  });

  it('follows a renamed account: the old name is no longer found, the new one is', async () => {
    // Prepare
    const account = await create('fuzzy-co', '/accounts', { name: 'Oldname Plumbing' });
    const foundBefore = await idsFound('fuzzy-co', 'oldn');

    // Act
    const renamed = await api.request('PATCH', `/accounts/${account.id}`, {
      token: admin['fuzzy-co'],
      body: { name: 'Newname Plumbing', version: 1 },
    });

    // Assess
    expect(renamed.status).toBe(200);
    expect(foundBefore).toEqual([account.id]);
    expect(await idsFound('fuzzy-co', 'oldn')).toEqual([]);
    expect(await idsFound('fuzzy-co', 'newn')).toEqual([account.id]);
    const kept = await lookup('fuzzy-co', 'plumb');
    expect(kept.items).toEqual([{ type: 'account', id: account.id, name: 'Newname Plumbing' }]);
  });

  it("follows a contact's new e-mail address and phone number", async () => {
    const contact = await create('fuzzy-co', '/contacts', {
      lastName: 'Xylander',
      email: 'first@xylander.example',
      phone: '+49 30 901 2345',
    });

    const changed = await api.request('PATCH', `/contacts/${contact.id}`, {
      token: admin['fuzzy-co'],
      body: { email: 'second@xylander.example', phone: '+49 40 777 8888', version: 1 },
    });

    expect(changed.status).toBe(200);
    expect(await idsFound('fuzzy-co', 'first@xyl')).toEqual([]);
    expect(await idsFound('fuzzy-co', '030 901')).toEqual([]);
    expect(await idsFound('fuzzy-co', 'second@xyl')).toEqual([contact.id]);
    expect(await idsFound('fuzzy-co', '040 777')).toEqual([contact.id]);
    expect((await lookup('fuzzy-co', 'xylander')).items).toEqual([
      {
        type: 'contact',
        id: contact.id,
        name: 'Xylander',
        email: 'second@xylander.example',
        phone: '+49 40 777 8888',
      },
    ]);
  });

  it('forgets deleted customers', async () => {
    // Prepare
    const account = await create('fuzzy-co', '/accounts', {
      name: 'Vanishing Vents',
      phone: '+49 89 444 3210',
    });
    const contact = await create('fuzzy-co', '/contacts', { lastName: 'Vanderbilt' });
    const foundBefore = await idsFound('fuzzy-co', 'van');

    // Act
    const deletions = await Promise.all([
      api.request('DELETE', `/accounts/${account.id}?version=1`, { token: admin['fuzzy-co'] }),
      api.request('DELETE', `/contacts/${contact.id}?version=1`, { token: admin['fuzzy-co'] }),
    ]);

    // Assess
    expect(deletions.map((response) => response.status)).toEqual([204, 204]);
    expect(foundBefore.sort()).toEqual([account.id, contact.id].sort());
    expect(await idsFound('fuzzy-co', 'van')).toEqual([]);
    expect(await idsFound('fuzzy-co', 'vents')).toEqual([]);
    expect(await idsFound('fuzzy-co', '444 3210')).toEqual([]);
  });
});

describe('exact lookup: a prefix shows nothing', () => {
  it.each([
    'Geh',
    'Geheim',
    'Geheim Analytics',
    'Geheim Analytics A',
    'Analytics AG',
    'board',
    'board@geheim',
    'geheim.example',
    '+41 44 555',
    '555 12 34',
    '44 555 12 34',
    'Erika',
    'Muster',
    'Erika Muster',
    'erika@geheim.exampl',
    'a',
  ])('answers "%s" with an empty list', async (q) => {
    // Act
    const answer = await lookup('exact-co', q);

    // Assess
    expect(answer).toEqual({ mode: 'exact', items: [] });
  });

  it.each([
    ['the whole account name', 'Geheim Analytics AG', 'geheim'],
    ['the whole account name, other case and spacing', '  GEHEIM  analytics ag ', 'geheim'],
    ['the whole account e-mail', 'Board@Geheim.Example', 'geheim'],
    ['the whole phone number', '+41 44 555 12 34', 'geheim'],
    ['the whole phone number, dialled with 00', '0041 44 5551234', 'geheim'],
    ['first and last name', 'Erika Mustermann', 'erika'],
    ['last and first name', 'mustermann, erika', 'erika'],
    ['the whole contact e-mail', 'erika@geheim.example', 'erika'],
  ])('finds by %s', async (_, q, expected) => {
    const answer = await lookup('exact-co', q);
    expect(answer.mode).toBe('exact');
    expect(answer.items.map((item) => item.id)).toEqual([{ geheim, erika }[expected as 'geheim' | 'erika']]);
  });

  it('takes effect as soon as the admin switches it, for customers indexed before', async () => {
    // Prepare: found by prefix while the tenant is fuzzy
    const account = await create('other-co', '/accounts', { name: 'Switchback Boilers' });
    const before = await lookup('other-co', 'switch');

    // Act
    const tenant = await api.request<{ version: number }>('GET', '/tenant', { token: admin['other-co'] });
    const toExact = await api.request('PATCH', '/tenant', {
      token: admin['other-co'],
      body: { settings: { customerLookup: 'exact' }, version: tenant.body.version },
    });
    const prefix = await lookup('other-co', 'switch');
    const whole = await lookup('other-co', 'switchback boilers');
    const toFuzzy = await api.request('PATCH', '/tenant', {
      token: admin['other-co'],
      body: { settings: { customerLookup: 'fuzzy' }, version: tenant.body.version + 1 },
    });
    const again = await lookup('other-co', 'switch');

    // Assess
    expect([toExact.status, toFuzzy.status]).toEqual([200, 200]);
    expect(before.items.map((item) => item.id)).toEqual([account.id]);
    expect(prefix).toEqual({ mode: 'exact', items: [] });
    expect(whole.items.map((item) => item.id)).toEqual([account.id]);
    expect(again).toMatchObject({ mode: 'fuzzy', items: [{ id: account.id }] });
  });
});

describe('tenant isolation', () => {
  it.each([
    ['other-co', 'mull'],
    ['other-co', 'heat'],
    ['other-co', 'zoe'],
    ['other-co', '555 0100'],
    ['other-co', 'Müller Heating GmbH'],
    ['other-co', 'geheim'],
    ['other-co', 'Geheim Analytics AG'],
    ['other-co', 'erika@geheim.example'],
    ['exact-co', 'Müller Heating GmbH'],
    ['exact-co', '+49 221 555 0100'],
    ['exact-co', 'zoe.angstrom@kunde.example'],
    ['fuzzy-co', 'geheim'],
    ['fuzzy-co', 'Erika Mustermann'],
    ['fuzzy-co', '+41 44 555'],
  ])('%s finds no customer of another tenant by "%s"', async (tenant, q) => {
    // Act
    const answer = await lookup(tenant, q);

    // Assess
    expect(answer.items).toEqual([]);
  });

  it('while the owners find them by the same values', async () => {
    expect(await idsFound('fuzzy-co', 'Müller Heating GmbH')).toEqual([heating]);
    expect(await idsFound('exact-co', 'Geheim Analytics AG')).toEqual([geheim]);
  });
});
