import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailStack, startMailStack } from '../helpers/mail-stack';
import { type TestMailbox, tenantTools } from '../helpers/mailboxes';

/*
 * A mailbox's intake rules: what each action does to a new request (and not
 * to a reply), what the decision record says of the rule, patterns that run
 * out of time, rules refused when saved, and trying the rules on a stored mail.
 */

const TENANT = 'rules';
const DOMAIN = 'rules.example';
let stack: MailStack;
const { admin, mailbox, deliver, workOrder } = tenantTools(() => stack, TENANT, DOMAIN);

async function putRules(box: TestMailbox, rules: unknown[]) {
  return stack.api.request<{ rules: unknown[]; version: number }>('PUT', `/mailboxes/${box.id}/rules`, {
    token: admin(),
    body: { rules },
  });
}

beforeAll(async () => {
  stack = await startMailStack();
  await stack.api.createTenant(TENANT);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('intake rules', () => {
  it('an ignore rule keeps matching mail out; other mail is created', async () => {
    const box = await mailbox('ruled');
    const put = await putRules(box, [
      {
        name: 'Newsletters',
        conditions: [{ field: 'subject', operator: 'contains', value: 'newsletter' }],
        action: { kind: 'ignore' },
      },
    ]);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const sent = stack.outbox().length;
    const ignored = await deliver(box, 'news@shop.example', 'Our NEWSLETTER for December');
    expect(ignored).toMatchObject({
      decision: 'ignored-rule',
      reason: 'Rule "Newsletters" ignores it',
      rule: { index: 0, name: 'Newsletters', because: ['subject contains "newsletter"'] },
    });
    expect(ignored.workOrderId).toBeUndefined();
    expect(stack.outbox()).toHaveLength(sent);
    const other = await deliver(box, 'news@shop.example', 'Boiler broken');
    expect(other.decision).toBe('created');
    expect(other.rule).toBeUndefined();
  });

  it('an append-only rule ignores new requests but still appends a reply to a thread', async () => {
    const box = await mailbox('replies-only');
    const request = await deliver(box, 'hans@customer.example', 'Gate motor');
    expect(request.decision).toBe('created');
    expect(
      (await putRules(box, [{ name: 'Replies only', conditions: [], action: { kind: 'append-only' } }]))
        .status,
    ).toBe(200);

    const fresh = await deliver(box, 'hans@customer.example', 'Another thing');
    expect(fresh).toMatchObject({
      decision: 'ignored-rule',
      rule: { name: 'Replies only', because: ['no conditions'] },
    });
    expect(fresh.reason).toContain('only appends replies');
    const reply = await deliver(box, 'hans@customer.example', 'Re: Gate motor', {
      headers: [`In-Reply-To: ${request.messageId}`],
    });
    expect(reply).toMatchObject({ decision: 'appended', workOrderId: request.workOrderId });
    expect(reply.rule).toBeUndefined();
  });

  it('a create rule sets what it says when all its conditions hold, and the record names it', async () => {
    const box = await mailbox('prioritised');
    const owner = await stack.api.request<{ id: string }>('POST', '/users', {
      token: admin(),
      body: { name: 'Urgent Desk', email: 'urgent-desk@rules.example', roles: ['service-staff'] },
    });
    expect(owner.status).toBe(201);
    const rules = [
      {
        name: 'Leaks are urgent',
        conditions: [
          { field: 'body', operator: 'contains', value: 'leak' },
          { field: 'sender-domain', operator: 'equals', value: 'customer.example' },
        ],
        action: { kind: 'create', priority: 'urgent', ownerId: owner.body.id },
      },
    ];
    expect((await putRules(box, rules)).status).toBe(200);
    const leak = await deliver(box, 'ines@customer.example', 'Cellar', { body: 'Water is leaking.' });
    expect(leak).toMatchObject({
      decision: 'created',
      reason: 'A new request; rule "Leaks are urgent" creates it',
      rule: {
        index: 0,
        name: 'Leaks are urgent',
        because: ['body contains "leak"', 'sender-domain equals "customer.example"'],
      },
    });
    expect(await workOrder(leak.workOrderId)).toMatchObject({ priority: 'urgent', ownerId: owner.body.id });
    // One condition of two is not enough.
    const stranger = await deliver(box, 'ines@elsewhere.example', 'Cellar', { body: 'Water is leaking.' });
    expect(stranger.rule).toBeUndefined();
    const plain = await workOrder(stranger.workOrderId);
    expect(plain.priority).toBe('normal');
    expect(plain.ownerId).toBeUndefined();

    const test = await stack.api.request('POST', `/mailboxes/${box.id}/rules/test`, {
      token: admin(),
      body: { inboundMailId: leak.id },
    });
    expect(test.status).toBe(200);
    expect(test.body).toEqual({
      inboundMailId: leak.id,
      matched: {
        index: 0,
        name: 'Leaks are urgent',
        because: ['body contains "leak"', 'sender-domain equals "customer.example"'],
        action: rules[0]?.action,
      },
      timedOut: [],
    });
    const other = await stack.api.request('POST', `/mailboxes/${box.id}/rules/test`, {
      token: admin(),
      body: { inboundMailId: stranger.id },
    });
    expect(other.body).toMatchObject({ matched: null, timedOut: [] });
  });

  it('a catastrophic pattern does not hang the intake: it counts as not matching, and the rule test says so', async () => {
    const box = await mailbox('patterned');
    const put = await putRules(box, [
      {
        name: 'Shouting',
        conditions: [{ field: 'subject', operator: 'matches', value: '(a+)+$' }],
        action: { kind: 'ignore' },
      },
      { name: 'Everything else', conditions: [], action: { kind: 'create', priority: 'high' } },
    ]);
    expect(put.status).toBe(200);
    // Without a time limit this takes about 80 s per run of the pattern.
    const mail = await deliver(box, 'jan@customer.example', `${'a'.repeat(30)}!`);
    expect(mail).toMatchObject({
      decision: 'created',
      rule: { name: 'Everything else' },
      patternTimeouts: ['rule 1, subject matches "(a+)+$"'],
    });
    const test = await stack.api.request('POST', `/mailboxes/${box.id}/rules/test`, {
      token: admin(),
      body: { inboundMailId: mail.id },
    });
    expect(test.body).toMatchObject({
      matched: { index: 1, name: 'Everything else' },
      timedOut: ['rule 1, subject matches "(a+)+$"'],
    });
  });

  it('refuses a pattern that does not compile, and a rule naming an unknown type or person, by field', async () => {
    const box = await mailbox('strict');
    const invalid = await putRules(box, [
      {
        name: 'Broken',
        conditions: [{ field: 'subject', operator: 'matches', value: '(unclosed' }],
        action: { kind: 'ignore' },
      },
    ]);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      errors: [{ field: 'body.rules.0.conditions.0.value', message: 'Must be a valid regular expression' }],
    });
    for (const [field, action] of [
      ['typeId', { kind: 'create', typeId: 'NOSUCHTYPE' }],
      ['ownerId', { kind: 'create', ownerId: 'nosuchuser' }],
    ] as const) {
      const unknown = await putRules(box, [{ name: 'Refers', conditions: [], action }]);
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ errors: [{ field: `body.rules.0.action.${field}` }] });
    }
    const rules = await stack.api.request('GET', `/mailboxes/${box.id}/rules`, { token: admin() });
    expect(rules.body).toMatchObject({ rules: [] });
  });

  it('the rule test finds no mail of another mailbox', async () => {
    const box = await mailbox('tested');
    const elsewhere = await mailbox('elsewhere');
    const mail = await deliver(elsewhere, 'kai@customer.example', 'For the other mailbox');
    const test = await stack.api.request('POST', `/mailboxes/${box.id}/rules/test`, {
      token: admin(),
      body: { inboundMailId: mail.id },
    });
    expect(test.status).toBe(404);
  });
});
