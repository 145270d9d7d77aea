import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import { type MailStack, startMailStack } from '../helpers/mail-stack';
import {
  adminToken,
  createMailbox,
  customerMail,
  deliverRequest,
  type TestMailbox,
} from '../helpers/mailboxes';

/*
 * The mailbox as a place: which addresses reach it over SMTP, addresses
 * unique across tenants, and the decision records its admins read.
 */

const TENANT = 'edges';
const OTHER_TENANT = 'edges-other';
const DOMAIN = 'edges.example';
let stack: MailStack;
const tokenOf = (tenantId: string) => adminToken(stack, tenantId);
const admin = () => tokenOf(TENANT);
const mailbox = (name: string, settings: Record<string, unknown> = {}, tenantId = TENANT) =>
  createMailbox(stack, tenantId, `${name}@${DOMAIN}`, settings);
const deliver = (box: TestMailbox, from: string, subject: string, to = box.address) =>
  deliverRequest(stack, box, from, subject, { to });

/** The SMTP reply code a send was refused with; undefined when it was accepted. */
async function refusal(to: string): Promise<number | undefined> {
  const from = 'lena@customer.example';
  const error = await stack.send(customerMail({ from, to, subject: 'Hello' }), { from, to }).then(
    () => undefined,
    (e: unknown) => e as { responseCode?: number },
  );
  return error ? (error.responseCode ?? -1) : undefined;
}

beforeAll(async () => {
  stack = await startMailStack();
  await stack.api.createTenant(TENANT);
  await stack.api.createTenant(OTHER_TENANT);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('which addresses reach a mailbox over SMTP', () => {
  it('refuses a recipient that is no mailbox at RCPT with 550; takes the mailbox with a reply token, in any case', async () => {
    const box = await mailbox('smtp');
    expect(await refusal(`nobody@${DOMAIN}`)).toBe(550);
    const tokened = await deliver(box, 'lena@customer.example', 'Via a token', `smtp+sometoken@${DOMAIN}`);
    expect(tokened).toMatchObject({ decision: 'created', recipient: `smtp+sometoken@${DOMAIN}` });
    const shouted = await deliver(
      box,
      'lena@customer.example',
      'In capitals',
      `SMTP@${DOMAIN.toUpperCase()}`,
    );
    expect(shouted.decision).toBe('created');
  });
});

describe('mailbox addresses', () => {
  it('belong to one mailbox of one tenant until it is deleted; a change of address moves the route', async () => {
    const first = await mailbox('shared');
    const taken = await stack.api.request('POST', '/mailboxes', {
      token: tokenOf(OTHER_TENANT),
      body: { address: `Shared@${DOMAIN}` },
    });
    expect(taken.status).toBe(409);

    const deleted = await stack.api.request('DELETE', `/mailboxes/${first.id}?version=${first.version}`, {
      token: admin(),
    });
    expect(deleted.status).toBe(204);
    expect(await refusal(`shared@${DOMAIN}`)).toBe(550);
    const second = await mailbox('shared', {}, OTHER_TENANT);
    const routed = await deliver(second, 'lena@customer.example', 'Now for the other tenant');
    expect(routed).toMatchObject({ tenantId: OTHER_TENANT, mailboxId: second.id, decision: 'created' });

    const moved = await stack.api.request('PATCH', `/mailboxes/${second.id}`, {
      token: tokenOf(OTHER_TENANT),
      body: { address: `moved@${DOMAIN}`, version: second.version },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await refusal(`shared@${DOMAIN}`)).toBe(550);
    const atNew = await deliver(
      { ...second, address: `moved@${DOMAIN}` },
      'lena@customer.example',
      'At the new address',
    );
    expect(atNew.mailboxId).toBe(second.id);
    // The old address is free again.
    await mailbox('shared');
  });

  it('refuses an address with a + (the reply tokens go there)', async () => {
    const plus = await stack.api.request('POST', '/mailboxes', {
      token: admin(),
      body: { address: `service+desk@${DOMAIN}` },
    });
    expect(plus.status).toBe(400);
    expect(plus.body).toMatchObject({ errors: [{ field: 'body.address' }] });
  });
});

describe('the decision records admins read', () => {
  const LISTS = 'edges-lists';
  const asAdmin = () => tokenOf(LISTS);
  const list = (query: string, token = asAdmin()) =>
    stack.api.request<{ items: InboundMail[]; nextCursor?: string }>('GET', `/inbound-mails?${query}`, {
      token,
    });

  let held: TestMailbox;
  let open: TestMailbox;
  /** Subjects in the order they were sent. */
  const sent: string[] = [];

  beforeAll(async () => {
    await stack.api.createTenant(LISTS);
    held = await mailbox('lists-held', { unknownSenders: 'hold' }, LISTS);
    open = await mailbox('lists-open', {}, LISTS);
    const contact = await stack.api.request('POST', '/contacts', {
      token: asAdmin(),
      body: { lastName: 'Known', email: 'known@customer.example' },
    });
    expect(contact.status).toBe(201);
    const send = async (box: TestMailbox, from: string, subject: string) => {
      await deliver(box, from, subject);
      sent.push(subject);
    };
    await send(held, 'anon1@unknown.example', 'held one');
    await send(open, 'anon2@unknown.example', 'open one');
    await send(held, 'known@customer.example', 'held box, known sender');
    await send(held, 'anon3@unknown.example', 'held two');
    await send(open, 'anon4@unknown.example', 'open two');
  });

  it('lists all of a tenant newest first, and pages through them with limit and cursor', async () => {
    const all = await list('limit=100');
    expect(all.status).toBe(200);
    expect(all.body.items.map((m) => m.subject)).toEqual([...sent].reverse());
    const paged: InboundMail[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(paged.map((m) => m.id)).toEqual(all.body.items.map((m) => m.id));
  });

  it('filters by decision, by mailbox, and by both', async () => {
    const subjects = async (query: string) => (await list(query)).body.items.map((m) => m.subject);
    expect(await subjects('decision=held-unknown-sender')).toEqual(['held two', 'held one']);
    expect(await subjects(`mailboxId=${open.id}`)).toEqual(['open two', 'open one']);
    expect(await subjects(`mailboxId=${held.id}&decision=created`)).toEqual(['held box, known sender']);
    expect(await subjects(`mailboxId=${open.id}&decision=held-unknown-sender`)).toEqual([]);
  });

  it('are for CRM admins of the tenant only', async () => {
    for (const role of ['service-manager', 'service-staff', 'call-center-agent'] as const) {
      const response = await list('limit=10', stack.api.token(LISTS, 'someone', role));
      expect(response.status, role).toBe(403);
    }
    const [mail] = (await list('limit=1')).body.items as [InboundMail];
    const other = tokenOf(OTHER_TENANT);
    const theirs = await list('limit=100', other);
    expect(theirs.status).toBe(200);
    const ours = new Set((await list('limit=100')).body.items.map((m) => m.id));
    expect(theirs.body.items.filter((m) => m.tenantId === LISTS || ours.has(m.id))).toEqual([]);
    expect((await list(`mailboxId=${held.id}`, other)).body.items).toEqual([]);
    for (const path of [`/inbound-mails/${mail.id}`, `/inbound-mails/${mail.id}/raw`]) {
      expect((await stack.api.request('GET', path, { token: other })).status, path).toBe(404);
    }
    const replay = await stack.api.request('POST', `/inbound-mails/${mail.id}/replay`, { token: other });
    expect(replay.status).toBe(404);
  });
});
